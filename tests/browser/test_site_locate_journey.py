"""A préfecture agent declares a site by placing it on the map (issue 21, part 2): the map
centres on the chosen commune, a click places the pin and fills the coordinates, the address
search (a local server in the national address base API's format) moves the pin and fills the
address, and saving near an open site warns, links it and asks to confirm; the new site's page
shows it on its small map; axe checks the form with its map and the page."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from directory.enums import Role
from sitepages.models import SitePage
from tests.browser.conftest import assert_no_violation, log_in
from tests.core.ban_server import BanServer
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_declare_a_site_by_placing_the_pin(live_server, page, axe, settings):
    settings.SITES_MAP_TILE_URL = ""  # no tile server here: a blank background
    department = DepartmentFactory(code="69", name="Rhône")
    lyon = CommuneFactory(code="69123", name="Lyon", department=department)
    existing = SitePageFactory(
        commune=lyon,
        name="Terrain des Lilas",
        latitude=Decimal("45.737700"),
        longitude=Decimal("4.871300"),
    )
    user = UserFactory(email="prefecture@exemple.test", role=Role.LOCAL_ADMIN)
    give_area(user, department)

    with BanServer() as ban:
        settings.GEOCODER_URL = ban.url
        log_in(page, live_server, user.email)
        page.goto(live_server.url + "/sites/nouveau/")
        page.wait_for_selector("#site-locate-map[data-ready='true']")
        assert page.locator("#site-locate").is_visible()
        assert_no_violation(page, axe)

        page.fill("#id_name", "Les Acacias")
        page.fill("#id_commune", "Lyon")
        page.locator("[role=option]", has_text="Lyon").first.click()
        page.wait_for_selector("#site-locate-map[data-centred-on='commune:69123']")

        # A click on the map places the pin and fills the coordinates
        page.locator("#site-locate-map").click(position={"x": 120, "y": 80})
        latitude = float(page.input_value("#id_latitude"))
        longitude = float(page.input_value("#id_longitude"))
        assert 45.6 < latitude < 45.9 and 4.7 < longitude < 5.0
        assert page.locator("#site-locate-map .sites-map__marker").count() == 1
        assert "Site placé à la latitude" in page.inner_text("#site-locate-status")

        # The address search moves the pin there and fills the address
        page.fill("#site-locate-address", "12 rue des Lilas")
        page.keyboard.press("Enter")  # searches, never submits the site form
        page.locator("#site-locate-results button", has_text="12 Rue des Lilas 69008 Lyon").click()
        assert page.input_value("#id_latitude") == "45.737654"
        assert page.input_value("#id_longitude") == "4.871234"
        assert page.input_value("#id_address") == "12 Rue des Lilas"
        assert ban.requests[-1]["citycode"] == "69123"
        assert_no_violation(page, axe)

        page.fill(
            "#id_declared_at", (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
        )
        page.locator("#site-form-submit").click()
        page.wait_for_load_state()

        # Within 200 m of an open site: warned, linked, asked to confirm
        warning = page.locator("#nearby-sites")
        assert warning.is_visible() and existing.title in warning.inner_text()
        assert not SitePage.objects.filter(name="Les Acacias").exists()
        assert page.input_value("#id_latitude") == "45.737654"  # nothing lost
        assert_no_violation(page, axe)
        page.locator("label[for=id_confirm_nearby]").click()
        page.locator("#site-form-submit").click()
        page.wait_for_load_state()

    site = SitePage.objects.get(name="Les Acacias")
    assert (site.latitude, site.longitude) == (Decimal("45.737654"), Decimal("4.871234"))
    assert site.address == "12 Rue des Lilas"

    # The site page, read at a glance: its small map shows the placed site
    page.wait_for_selector("#site-glance-map[data-ready='true']")
    assert page.locator("#site-glance-map .sites-map__marker").count() == 1
    assert "par" in page.inner_text("#site-last-change")
    assert_no_violation(page, axe)
