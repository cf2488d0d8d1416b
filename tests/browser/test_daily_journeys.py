"""Daily work (issue 21): a field worker follows a site and finds it on their home; a local
administrator is warned of a nearby site and deletes a site created by mistake. axe checks every
new or changed page."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from directory.enums import Role
from sitepages.models import SitePage
from tests.browser.conftest import log_in
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def assert_no_violation(page, axe):
    results = axe.run(page)
    assert results.violations_count == 0, page.url + "\n" + results.generate_report()


def test_a_field_worker_follows_a_site_and_finds_it_on_their_home(live_server, page, axe):
    department = DepartmentFactory()
    commune = CommuneFactory(department=department)
    site = SitePageFactory(
        commune=commune,
        name="Les Tilleuls",
        declared_at=timezone.localdate() - datetime.timedelta(days=90),
    )
    user = UserFactory(email="intervenante@exemple.test", role=Role.INTERVENANT)
    give_area(user, department)
    log_in(page, live_server, user.email)

    page.goto(live_server.url + "/tableau-de-bord/")
    assert page.locator("#home-my-sites-empty").is_visible()
    assert_no_violation(page, axe)

    page.goto(live_server.url + site.url)
    page.get_by_role("button", name="Suivre ce site").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Ne plus suivre ce site").is_visible()
    assert_no_violation(page, axe)

    page.goto(live_server.url + "/tableau-de-bord/")
    my_sites = page.locator("#home-my-sites")
    my_sites.get_by_role("link", name=site.title).click()
    page.wait_for_load_state()
    assert page.url.endswith(site.url)


def test_a_local_admin_is_warned_of_a_nearby_site_then_deletes_a_mistake(live_server, page, axe):
    department = DepartmentFactory()
    commune = CommuneFactory(department=department, name="Bourg-Voisin")
    existing = SitePageFactory(
        commune=commune,
        name="Le Pré Vert",
        latitude=Decimal("45.750000"),
        longitude=Decimal("4.850000"),
    )
    admin = UserFactory(email="admin.local@exemple.test", role=Role.LOCAL_ADMIN)
    give_area(admin, department)
    log_in(page, live_server, admin.email)

    page.goto(live_server.url + "/sites/nouveau/")
    page.fill("#id_name", "Doublon")
    page.fill("#id_commune", "Bourg-Voisin")
    page.fill("#id_declared_at", timezone.localdate().isoformat())
    page.fill("#id_latitude", "45.750500")
    page.fill("#id_longitude", "4.850000")
    page.locator("#site-form-submit").click()
    page.wait_for_load_state()
    warning = page.locator("#nearby-sites")
    assert warning.is_visible()
    assert warning.get_by_role("link", name=existing.title).is_visible()
    assert_no_violation(page, axe)
    page.locator("label[for=id_confirm_nearby]").click()  # DSFR: the label takes the click
    page.locator("#site-form-submit").click()
    page.wait_for_load_state()
    created = SitePage.objects.get(name="Doublon")

    page.get_by_role("link", name="Supprimer (créé par erreur)").click()
    page.wait_for_load_state()
    assert created.title in page.locator("#site-to-delete").inner_text()
    assert_no_violation(page, axe)
    page.get_by_label("Motif de la suppression").fill("Doublon du Pré Vert.")
    page.locator("#site-delete-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "a été supprimé" in page.locator("main").inner_text()
    assert not SitePage.objects.filter(name="Doublon").exists()
