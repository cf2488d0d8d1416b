import io

import pytest
from django.core.management import call_command

from actions import demo, perms
from actions.models import Action, ActionFinance, ActionIndicators

pytestmark = pytest.mark.django_db


def test_demo_actions_are_valid_idempotent_and_span_two_years(settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    assert Action.objects.count() == len(demo.DEMO_ACTIONS)
    assert demo.load_demo_actions() == 0
    assert Action.objects.count() == len(demo.DEMO_ACTIONS)
    assert len({action.started_at.year for action in Action.objects.all()}) == 2
    assert Action.objects.filter(sites__isnull=False).distinct().count() >= 8
    assert ActionFinance.objects.exists() and ActionIndicators.objects.exists()
    for action in Action.objects.prefetch_related("pilots", "operator_rows"):
        action.full_clean()
        for row in action.indicators.all():
            row.full_clean()
        for pilot in action.pilots.all():
            assert perms.can_update(pilot, action)
            assert perms.can_access_finances(pilot, action)
        assert sum(row.is_principal for row in action.operator_rows.all()) == 1
