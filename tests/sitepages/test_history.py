"""The history of a site: one field-by-field diff per revision, sensitive fields only for those
entitled, paginated, with a flat number of queries."""

import pytest
from django.urls import reverse

from directory.enums import Role
from sitepages import history
from sitepages.enums import OwnerType, WaterAccessType
from sitepages.models import SiteOwner, SitePage
from tests.directory.factories import DepartmentFactory
from tests.sitepages.edit_support import site_in, user_with

pytestmark = pytest.mark.django_db

COURT_MARKER = "Tribunal-Historique-3M"
OWNER_MARKER = "Proprio-Historique-5N"


def publish(site, user=None, **changes):
    site = SitePage.objects.get(pk=site.pk).get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(site, name, value)
    revision = site.save_revision(user=user)
    revision.publish(user=user, skip_permission_checks=True)
    return revision


def test_diff_lists_changed_fields_with_labels_and_readable_values():
    before = {"people": 10, "water_access_type": "unknown", "heatwave": False, "owners": []}
    after = {
        "people": 12,
        "water_access_type": WaterAccessType.NETWORK_TAP,
        "heatwave": True,
        "owners": [{"pk": 1, "type": OwnerType.PRIVATE, "name": "Dupont", "sort_order": 0}],
    }
    changes = {
        change.name: change
        for change in history.diff(before, after, history.ALL_FIELDS, history.Lookups())
    }
    assert set(changes) == {"people", "water_access_type", "heatwave", "owners"}
    assert (changes["people"].before, changes["people"].after) == ("10", "12")
    assert changes["water_access_type"].after == str(WaterAccessType.NETWORK_TAP.label)
    assert changes["owners"].before == history.EMPTY
    assert "Dupont" in changes["owners"].after
    assert changes["people"].label == str(SitePage._meta.get_field("people").verbose_name)


def test_equal_values_in_other_forms_are_no_change():
    assert history.diff({"latitude": "48.850000"}, {"latitude": "48.85"}, ["latitude"]) == []
    assert history.diff({"name": ""}, {"name": None}, ["name"]) == []
    assert history.diff(None, {"people": None, "owners": []}, ["people", "owners"]) == []


@pytest.mark.parametrize(
    "role, sees_sensitive",
    [(Role.LOCAL_ADMIN, True), (Role.OPERATEUR, False), (Role.INTERVENANT, False)],
)
def test_history_page_hides_sensitive_changes(client, role, sees_sensitive):
    here = DepartmentFactory()
    site = site_in(here, people=10)
    author = user_with(Role.LOCAL_ADMIN, here, first_name="Chloé", last_name="Auteur")
    publish(site)  # baseline
    site_live = SitePage.objects.get(pk=site.pk)
    SiteOwner.objects.create(site=site_live, type=OwnerType.PRIVATE, name=OWNER_MARKER)
    publish(
        site,
        author,
        people=14,
        justice_procedure=True,
        justice_decision=True,
        justice_court=COURT_MARKER,
    )
    client.force_login(user_with(role, here))

    response = client.get(reverse("site_history", args=[site.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    latest = response.context["diffs"][0]
    names = [change.name for change in latest.changes]
    assert "people" in names
    assert latest.author == author and "Chloé Auteur" in html
    assert (COURT_MARKER in html) is sees_sensitive
    assert ("justice_court" in names) is sees_sensitive
    assert (OWNER_MARKER in html) is sees_sensitive
    assert response.context["diffs"][-1].is_first


def test_history_of_an_unreadable_site_is_a_404(client):
    site = site_in()
    client.force_login(user_with(Role.OPERATEUR, DepartmentFactory()))
    assert client.get(reverse("site_history", args=[site.pk])).status_code == 404


def test_history_is_paginated_with_flat_queries(client, django_assert_max_num_queries):
    here = DepartmentFactory()
    site = site_in(here, people=1)
    author = user_with(Role.LOCAL_ADMIN, here)
    client.force_login(author)
    url = reverse("site_history", args=[site.pk])
    publish(site, author, people=2)
    client.get(url)  # warm caches (content types, charter version)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    small_count = len(small.captured_queries)  # read now: each request resets the query log
    for count in range(3, 30):
        publish(site, author, people=count, name=f"Nom {count}")
    client.get(url)  # the same warm caches (they expire after a minute)
    with django_assert_max_num_queries(small_count):
        response = client.get(url)
    assert len(response.context["diffs"]) == 10
    assert response.context["page_obj"].paginator.num_pages == 3
    assert 0 < small_count
