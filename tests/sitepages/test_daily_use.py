"""Findings of a day of real use on the site screens (issue 16): each test failed before its fix."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.enums import Role
from sitepages.models import SitePage
from tests.sitepages.edit_support import page_payload, site_in, user_with

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LONG_AGO = TODAY - datetime.timedelta(days=40)


@pytest.fixture
def editor_and_site(client):
    site = site_in(people=126, caravans=4, population_updated_at=LONG_AGO)
    client.force_login(user_with(Role.LOCAL_ADMIN, site.commune.department))
    return site


def _save(client, site, **changes):
    url = reverse("site_edit", args=[site.pk])
    response = client.post(url, page_payload(client.get(url), **changes))
    assert response.status_code == 302, response.context["form"].errors
    return SitePage.objects.get(pk=site.pk)


def test_a_population_change_updates_the_population_date(client, editor_and_site):
    assert _save(client, editor_and_site, people="131").population_updated_at == TODAY


def test_a_housing_change_updates_the_population_date(client, editor_and_site):
    assert _save(client, editor_and_site, caravans="5").population_updated_at == TODAY


def test_the_population_date_the_user_sets_is_kept(client, editor_and_site):
    chosen = TODAY - datetime.timedelta(days=3)
    site = _save(client, editor_and_site, people="131", population_updated_at=chosen.isoformat())
    assert site.population_updated_at == chosen


def test_other_changes_keep_the_population_date(client, editor_and_site):
    assert _save(client, editor_and_site, address="2 rue des Lilas").population_updated_at == (
        LONG_AGO
    )
