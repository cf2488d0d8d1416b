"""Findings of a day of real use on the site screens (issue 16): each test failed before its fix."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.enums import Role
from sitepages.models import SitePage
from tests.sitepages.edit_support import page_payload, site_in, user_with

pytestmark = pytest.mark.django_db


def long_ago():
    """Forty days before the day the test runs (computed then, never at collection)."""
    return timezone.localdate() - datetime.timedelta(days=40)


@pytest.fixture
def editor_and_site(client):
    site = site_in(people=126, caravans=4, population_updated_at=long_ago())
    client.force_login(user_with(Role.LOCAL_ADMIN, site.commune.department))
    return site


def _save(client, site, **changes):
    url = reverse("site_edit", args=[site.pk])
    response = client.post(url, page_payload(client.get(url), **changes))
    assert response.status_code == 302, response.context["form"].errors
    return SitePage.objects.get(pk=site.pk)


def test_a_population_change_updates_the_population_date(client, editor_and_site):
    assert (
        _save(client, editor_and_site, people="131").population_updated_at == timezone.localdate()
    )


def test_a_housing_change_updates_the_population_date(client, editor_and_site):
    assert (
        _save(client, editor_and_site, caravans="5").population_updated_at == timezone.localdate()
    )


def test_the_population_date_the_user_sets_is_kept(client, editor_and_site):
    chosen = timezone.localdate() - datetime.timedelta(days=3)
    site = _save(client, editor_and_site, people="131", population_updated_at=chosen.isoformat())
    assert site.population_updated_at == chosen


def test_other_changes_keep_the_population_date(client, editor_and_site):
    assert _save(client, editor_and_site, address="2 rue des Lilas").population_updated_at == (
        long_ago()
    )


def test_multi_choices_compare_as_sets_and_show_french_labels():
    from sitepages import history

    fields = ["origins", "toilet_types"]
    assert (
        history.diff(
            {"origins": ["european", "french"]}, {"origins": ["french", "european"]}, fields
        )
        == []
    )
    assert (
        history.diff(
            {"origins": '["european", "french"]'}, {"origins": ["french", "european"]}, fields
        )
        == []
    )
    (change,) = history.diff({"origins": ["european"]}, {"origins": ["french", "european"]}, fields)
    assert change.before == "Ressortissants européens"
    assert "french" not in change.after and "Ressortissants français" in change.after


def test_a_population_save_shows_no_origin_change_in_the_history(client):
    from sitepages import history

    site = site_in(people=126, origins=["other", "european", "french"])
    user = user_with(Role.LOCAL_ADMIN, site.commune.department)
    client.force_login(user)
    _save(client, site, people="131")
    (latest,) = history.revision_diffs(site, user, history.revisions_of(site)[:1])
    assert "people" in {change.name for change in latest.changes}
    assert "origins" not in {change.name for change in latest.changes}
    content = client.get(reverse("site_history", args=[site.pk])).content.decode()
    assert "european" not in content and "Ressortissants européens" in content


@pytest.fixture
def roubaix_site(client):
    from tests.directory.factories import CommuneFactory, DepartmentFactory
    from tests.sitepages.factories import SitePageFactory

    nord = DepartmentFactory(code="59", name="Nord")
    site = SitePageFactory(commune=CommuneFactory(code="59512", name="Roubaix", department=nord))
    client.force_login(user_with(Role.LOCAL_ADMIN, nord))
    return site


def test_swapped_coordinates_are_refused_with_a_message_naming_the_swap(client, roubaix_site):
    url = reverse("site_edit", args=[roubaix_site.pk])
    response = client.post(url, page_payload(client.get(url), latitude="3.17", longitude="50.69"))
    assert response.status_code == 400
    (message,) = response.context["form"].errors["latitude"]
    assert "Nord" in message and "inversées" in message
    assert SitePage.objects.get(pk=roubaix_site.pk).latitude is None


def test_coordinates_far_from_the_department_are_refused(client, roubaix_site):
    url = reverse("site_edit", args=[roubaix_site.pk])
    response = client.post(url, page_payload(client.get(url), latitude="-21.1", longitude="55.5"))
    assert response.status_code == 400
    assert "en dehors du département Nord (59)" in response.context["form"].errors["latitude"][0]


def test_coordinates_in_the_department_are_saved(client, roubaix_site):
    site = _save(client, roubaix_site, latitude="50.69", longitude="3.17")
    assert (float(site.latitude), float(site.longitude)) == (50.69, 3.17)


def test_counts_take_the_singular_in_the_list_and_the_dashboard(client):
    from tests.directory.factories import DepartmentFactory
    from tests.sitepages.list_factories import bulk_sites

    here = DepartmentFactory()
    bulk_sites(
        1,
        department=here,
        name="Terrain unique",
        address="",
        people=40,
        households=None,
        minors=None,
        origins=[],
        social_diagnosis_status="",
        electricity_access=None,
        waste_collection=None,
    )
    client.force_login(user_with(Role.LOCAL_ADMIN, here))
    listing = client.get(reverse("site_list")).content.decode()
    assert "1 élément sur 10" in listing and "1 éléments" not in listing
    dashboard = client.get("/sites/tableau-de-bord/").content.decode()
    assert "sites ouverts sur 1 ont" not in dashboard
    assert "Complétude : 0 site ouvert sur 1 a des informations complètes" in dashboard


def test_dashboard_wording_closed_sites_and_key_figures_without_bullets(client):
    from tests.directory.factories import DepartmentFactory
    from tests.sitepages.list_factories import bulk_sites

    here = DepartmentFactory()
    bulk_sites(2, department=here)
    client.force_login(user_with(Role.LOCAL_ADMIN, here))
    dashboard = client.get("/sites/tableau-de-bord/").content.decode()
    assert '<th scope="col">Signalés</th>' in dashboard
    assert '<th scope="col">Fermés</th>' in dashboard
    assert "fr-raw-list rb-dashboard-figures" in dashboard


@pytest.fixture
def national_reader(client):
    """A correspondant of one department with the national read right of the role."""
    from tests.directory.factories import DepartmentFactory
    from tests.sitepages.list_factories import bulk_sites

    here, elsewhere = DepartmentFactory(name="Ici"), DepartmentFactory(name="Ailleurs")
    bulk_sites(1, department=here, name="Terrain d’ici")
    bulk_sites(1, department=elsewhere, name="Terrain d’ailleurs")
    client.force_login(user_with(Role.CORRESPONDANT, here))
    return here, elsewhere


def test_the_list_shows_the_users_own_areas_first_and_widens_in_one_click(client, national_reader):
    from bs4 import BeautifulSoup

    here, elsewhere = national_reader
    page = client.get(reverse("site_list")).content.decode()
    assert "Terrain d’ici" in page and "Terrain d’ailleurs" not in page
    assert "Affichés : les sites de vos territoires d’intervention (Ici)" in page
    link = BeautifulSoup(page, "html.parser").select_one("#site-perimeter a")
    assert link.text.strip() == "Afficher tous les sites que vous pouvez consulter"
    widened = client.get(link["href"]).content.decode()
    assert "Terrain d’ici" in widened and "Terrain d’ailleurs" in widened
    assert "au-delà de vos territoires d’intervention" in widened
    # A territory chosen in the filters is shown whole, even outside the user's areas.
    chosen = client.get(reverse("site_list"), {"territoire": f"department:{elsewhere.code}"})
    assert "Terrain d’ailleurs" in chosen.content.decode()


def test_a_user_who_lists_only_their_areas_sees_no_perimeter_choice(client):
    from tests.directory.factories import DepartmentFactory

    client.force_login(user_with(Role.LOCAL_ADMIN, DepartmentFactory()))
    assert 'id="site-perimeter"' not in client.get(reverse("site_list")).content.decode()


def test_visited_nothing_changed_asks_for_confirmation(client):
    site = site_in(last_visited_at=long_ago())
    client.force_login(user_with(Role.OPERATEUR, site.commune.department))
    page = client.get(site.url).content.decode()
    url = reverse("site_visit", args=[site.pk])
    assert f'href="{url}"' in page  # a link to the confirmation, not a one-tap form
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert "Confirmer la visite" in confirmation.content.decode()
    assert SitePage.objects.get(pk=site.pk).last_visited_at == long_ago()
    assert client.post(url).status_code == 302
    assert SitePage.objects.get(pk=site.pk).last_visited_at == timezone.localdate()
