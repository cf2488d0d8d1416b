"""Former sites on the front-end form: which closed sites are offered, the link saved in the
published revision and its history, shown on the site page only to readers of the former site."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.enums import Role
from sitepages.models import SitePage
from tests.directory.factories import DepartmentFactory
from tests.sitepages.edit_support import page_payload, site_in, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    here, elsewhere = DepartmentFactory(), DepartmentFactory()
    today = timezone.localdate()

    def closed(department, name, days_ago):
        day = today - datetime.timedelta(days=days_ago)
        return site_in(
            department,
            name=name,
            declared_at=day - datetime.timedelta(days=100),
            closed_at=day,
        )

    return {
        "here": here,
        "site": site_in(here, name="Nouveau"),
        "closed": closed(here, "Ancien", 40),
        "old": closed(here, "Très ancien", 2500),
        "open": site_in(here, name="Ouvert"),
        "away": closed(elsewhere, "Lointain", 9),
    }


def offered(response) -> set[str]:
    field = response.context["form"].fields["former_sites"]
    return {site.name for site in field.queryset}


def test_recent_closed_sites_of_the_department_are_offered(client, place):
    client.force_login(user_with(Role.NATIONAL_ADMIN))
    response = client.get(reverse("site_edit", args=[place["site"].pk]))
    assert offered(response) == {"Ancien"}
    html = response.content.decode()
    assert f'name="former_sites" value="{place["closed"].pk}"' in html


def test_linking_saves_a_revision_shown_on_the_page_and_in_the_history(client, place):
    user = user_with(Role.LOCAL_ADMIN, place["here"])
    client.force_login(user)
    url = reverse("site_edit", args=[place["site"].pk])
    response = client.post(
        url,
        page_payload(
            client.get(url), reinstallation="True", former_sites=[str(place["closed"].pk)]
        ),
    )
    assert response.status_code == 302, response.context["form"].errors

    site = SitePage.objects.get(pk=place["site"].pk)
    assert list(site.former_sites.values_list("name", flat=True)) == ["Ancien"]
    assert site.get_latest_revision().content["former_sites"] == [place["closed"].pk]
    page = client.get(site.url).content.decode()
    assert f'href="{SitePage.objects.get(pk=place["closed"].pk).url}"' in page
    history = client.get(reverse("site_history", args=[site.pk])).content.decode()
    assert "Ancien" in history

    # Linked, then old: still offered (and kept) when the form is opened again.
    SitePage.objects.filter(pk=place["closed"].pk).update(
        closed_at=timezone.localdate() - datetime.timedelta(days=3000)
    )
    assert "Ancien" in offered(client.get(url))


def test_a_site_outside_the_offer_is_refused(client, place):
    client.force_login(user_with(Role.NATIONAL_ADMIN))
    url = reverse("site_edit", args=[place["site"].pk])
    for forged in (place["away"], place["open"], place["site"]):
        response = client.post(url, page_payload(client.get(url), former_sites=[str(forged.pk)]))
        assert response.status_code == 400
        assert response.context["form"].errors["former_sites"]
    assert not SitePage.objects.get(pk=place["site"].pk).former_sites.exists()


def test_the_page_names_only_former_sites_the_reader_may_list(client, place):
    site = SitePage.objects.get(pk=place["site"].pk)
    site.former_sites.set([place["closed"], place["away"]])
    site.save_revision().publish(skip_permission_checks=True)
    client.force_login(user_with(Role.INTERVENANT, place["here"]))
    page = client.get(site.url).content.decode()
    assert "Ancien" in page
    assert "Lointain" not in page


# --- Former sites of other territories are never named (security review, finding 3) -------------


@pytest.fixture
def linked_far_away(place):
    """The site is linked (through the admin, or before the form filtered) to a former site of
    another department, whose name a local reader of "here" may not know."""
    site = SitePage.objects.get(pk=place["site"].pk)
    site.former_sites.set([place["closed"], place["away"]])
    site.save_revision().publish(skip_permission_checks=True)
    return site


def test_the_history_names_only_former_sites_the_reader_may_list(client, place, linked_far_away):
    client.force_login(user_with(Role.LOCAL_ADMIN, place["here"]))
    history = client.get(reverse("site_history", args=[linked_far_away.pk])).content.decode()
    assert "Ancien" in history
    assert "Lointain" not in history


def test_the_edit_form_does_not_offer_linked_sites_the_user_may_not_list(
    client, place, linked_far_away
):
    client.force_login(user_with(Role.LOCAL_ADMIN, place["here"]))
    url = reverse("site_edit", args=[linked_far_away.pk])
    response = client.get(url)
    assert offered(response) == {"Ancien"}
    assert "Lointain" not in response.content.decode()
    # Saving the form keeps the link the user could not see (nor undo).
    saved = client.post(url, page_payload(response, reinstallation="True"))
    assert saved.status_code == 302, saved.context["form"].errors
    site = SitePage.objects.get(pk=linked_far_away.pk)
    assert set(site.former_sites.values_list("name", flat=True)) == {"Ancien", "Lointain"}


def test_a_new_site_links_only_former_sites_of_its_department(client, place):
    client.force_login(user_with(Role.NATIONAL_ADMIN))
    commune = place["site"].commune
    form = client.get(reverse("site_create"))
    data = page_payload(
        form,
        name="Nouvelle installation",
        commune=f"commune:{commune.pk}",
        declared_at=timezone.localdate().isoformat(),
        reinstallation="True",
        former_sites=[str(place["away"].pk)],
    )
    response = client.post(reverse("site_create"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors["former_sites"]
    assert errors
    assert not SitePage.objects.filter(name="Nouvelle installation").exists()
    # A former site of the same department is accepted.
    data["former_sites"] = [str(place["closed"].pk)]
    response = client.post(reverse("site_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    created = SitePage.objects.get(name="Nouvelle installation")
    assert list(created.former_sites.values_list("name", flat=True)) == ["Ancien"]
