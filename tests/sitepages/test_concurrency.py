"""Two people editing the same site: the second save is refused, nothing is lost."""

import pytest
from django.urls import reverse
from wagtail.models import Revision

from directory.enums import Role
from sitepages.models import SitePage
from tests.directory.factories import DepartmentFactory
from tests.sitepages.edit_support import page_payload, site_in, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    here = DepartmentFactory()
    site = site_in(here, people=10, households=3)
    first = user_with(Role.LOCAL_ADMIN, here, first_name="Alice", last_name="Premier")
    second = user_with(Role.LOCAL_ADMIN, here, first_name="Bruno", last_name="Second")
    return site, first, second


def test_a_stale_form_is_refused_with_the_changes_made_meanwhile(client, setting):
    site, first, second = setting
    url = reverse("site_edit", args=[site.pk])
    client.force_login(first)
    first_form = client.get(url)
    client.force_login(second)
    second_form = client.get(url)

    client.force_login(first)
    assert client.post(url, page_payload(first_form, people="20")).status_code == 302

    client.force_login(second)
    response = client.post(url, page_payload(second_form, households="5", name="Mon nom"))

    assert response.status_code == 409
    conflict = response.context["conflict"]
    # the form proposes today as the update date: the first save set it too; a population
    # change dates the population
    changes = {change.name: change for change in conflict.changes}
    assert set(changes) == {"people", "updated_at", "population_updated_at"}
    assert (changes["people"].before, changes["people"].after) == ("10", "20")
    assert [revision.user for revision in conflict.revisions] == [first]
    html = response.content.decode()
    assert 'id="edit-conflict"' in html and "Alice Premier" in html
    # the input is kept, and the form is now based on the latest revision
    form = response.context["form"]
    assert form["households"].value() == "5" and form["name"].value() == "Mon nom"
    site = SitePage.objects.get(pk=site.pk)
    assert site.people == 20 and site.households == 3
    assert form["base_revision"].value() == str(site.latest_revision_id)

    # saving again, knowingly, applies the second user's input
    again = client.post(url, page_payload(response, people="20"))
    assert again.status_code == 302
    site = SitePage.objects.get(pk=site.pk)
    assert (site.people, site.households, site.name) == (20, 5, "Mon nom")


def test_changes_to_fields_outside_the_form_are_no_conflict(client, setting):
    """A visit (or a justice change the user cannot see) does not block an edit."""
    site, first, second = setting
    url = reverse("site_edit", args=[site.pk])
    client.force_login(second)
    form = client.get(url)
    client.force_login(first)
    client.post(reverse("site_visit", args=[site.pk]))

    client.force_login(second)
    response = client.post(url, page_payload(form, people="11"))

    assert response.status_code == 302
    site = SitePage.objects.get(pk=site.pk)
    assert site.people == 11 and site.last_visited_at is not None


def test_an_unchanged_site_saves_without_conflict(client, setting):
    site, first, _second = setting
    url = reverse("site_edit", args=[site.pk])
    client.force_login(first)
    assert client.post(url, page_payload(client.get(url), people="12")).status_code == 302
    assert client.post(url, page_payload(client.get(url), people="13")).status_code == 302
    assert SitePage.objects.get(pk=site.pk).people == 13


def test_a_change_saved_by_no_one_is_shown_as_by_an_unknown_person(client, setting):
    """Revisions saved by a script (the demo loader, an import) have no user: the conflict
    message names "une personne inconnue" instead of failing (it answered 500)."""
    site, first, second = setting
    url = reverse("site_edit", args=[site.pk])
    client.force_login(second)
    second_form = client.get(url)
    client.force_login(first)
    assert client.post(url, page_payload(client.get(url), people="30")).status_code == 302
    Revision.objects.filter(pk=SitePage.objects.get(pk=site.pk).latest_revision_id).update(
        user=None
    )

    client.force_login(second)
    response = client.post(url, page_payload(second_form, households="4"))

    assert response.status_code == 409
    assert "Enregistré par une personne inconnue" in response.content.decode()
