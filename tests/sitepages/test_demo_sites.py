import io

import pytest
from django.core.management import call_command

from directory.models import User
from sitepages.demo import load_demo_sites
from sitepages.models import SitePage

pytestmark = pytest.mark.django_db


def test_demo_sites_are_valid_varied_idempotent_and_scoped(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Sites de démonstration créés : " in out.getvalue()
    sites = SitePage.objects.live().select_related("commune")
    assert sites.count() >= 25
    assert len({site.commune.department_id for site in sites}) >= 4
    for site in sites:
        site.full_clean()
    assert sites.closed().exists() and sites.resorbed().exists() and sites.open().exists()
    statuses = {status for site in sites for status in site.living_conditions.values()}
    assert statuses == {"good", "to_improve", "bad", "unknown"}
    assert any(site.get_latest_revision().pk != site.revisions.first().pk for site in sites)

    counts = (SitePage.objects.count(), sum(site.revisions.count() for site in sites))
    assert load_demo_sites() == 0
    assert (SitePage.objects.count(), sum(site.revisions.count() for site in sites)) == counts

    visible = SitePage.objects.visible_to(User.objects.get(email="local.admin@demo.test"))
    assert visible.filter(commune__department_id="69").count() == (
        sites.filter(commune__department_id="69").count()
    )
    assert visible.filter(commune__department_id="69").exists()
    assert not visible.filter(commune__department_id="59").exists()
