"""A reader filters the list of sites, opens the map of the same sites and sees their markers;
axe-core finds no violation on the list and the map."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from directory.enums import Role
from tests.browser.conftest import assert_no_violation, log_in
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    UserFactory,
    give_area,
)
from tests.sitepages.list_factories import bulk_sites

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def sites():
    department = DepartmentFactory(code="69", name="Rhône")
    commune = CommuneFactory(department=department, name="Vaulx-Marqueur")
    bulk_sites(
        3,
        commune=commune,
        people=lambda n: 120 + n,
        latitude=lambda n: 45.76 + n / 100,
        longitude=4.88,
        heatwave=True,
    )
    bulk_sites(2, commune=commune, people=8, latitude=45.7, longitude=4.9)
    user = UserFactory(email="lecteur@exemple.test", role=Role.CORRESPONDANT)
    give_area(user, department)
    return department


def settle(page):
    """Wait until the map stops moving: a click on a cluster zooms in with an animation that
    redraws the clusters (clicking one mid-animation finds it detached from the page)."""
    page.wait_for_function(
        "() => !document.querySelector("
        "'#sites-map .leaflet-zoom-anim, #sites-map .leaflet-cluster-anim')"
    )
    page.wait_for_timeout(150)


def test_filter_the_list_then_open_the_map(live_server, page, axe, sites, settings):
    # No tile server reachable here: the map says so and still shows the markers.
    settings.SITES_MAP_TILE_URL = ""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, "lecteur@exemple.test")
    page.goto(live_server.url + "/sites/")
    assert page.locator("#sites-table tbody tr").count() == 5
    assert_no_violation(page, axe)

    # Unfold "More filters", tick "100 people or more" and apply.
    page.locator("button[aria-controls=site-filters-more]").click()
    page.locator("label[for=id_population_4]").click()
    page.locator("form[data-site-filters] button[type=submit]").click()
    page.wait_for_load_state()
    assert "population=100-plus" in page.url
    assert page.locator("#sites-table tbody tr").count() == 3
    assert_no_violation(page, axe)

    # The map of the same sites.
    page.locator("nav a[href^='/sites/carte/']").click()
    page.wait_for_load_state()
    assert "/sites/carte/" in page.url and "population=100-plus" in page.url
    page.wait_for_selector("#sites-map[data-markers]", state="attached")
    assert page.locator("#sites-map").get_attribute("data-markers") == "3"
    # Clustered or not, the three sites are on the map.
    markers = page.locator(".sites-map__marker, .marker-cluster")
    assert markers.count() >= 1
    assert page.locator("#sites-map-notice").is_visible()
    assert_no_violation(page, axe)

    # The markers open a popup with a link to the site.
    for _attempt in range(10):
        settle(page)
        clusters = page.locator(".marker-cluster")
        if not clusters.count():
            break
        try:
            clusters.first.click(timeout=3_000)
        except PlaywrightTimeoutError:
            continue  # the cluster was redrawn under the pointer: wait for the map again
    settle(page)
    page.locator(".leaflet-marker-icon").first.click()
    popup_link = page.locator(".leaflet-popup-content a")
    popup_link.wait_for()
    assert popup_link.get_attribute("href").startswith("/sites-")
    assert errors == []


def test_empty_state_and_tile_failure(live_server, page, axe, sites, settings):
    # A tile server that refuses connections (loopback): the markers still load.
    settings.SITES_MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    log_in(page, live_server, "lecteur@exemple.test")
    page.goto(live_server.url + "/sites/?q=zzzz")
    assert page.locator("#sites-empty").is_visible()
    assert_no_violation(page, axe)
    page.goto(live_server.url + "/sites/carte/")
    page.wait_for_selector("#sites-map[data-markers='5']")
    page.wait_for_selector("#sites-map[data-tiles-failed='true']")
    assert page.locator("#sites-map-notice").is_visible()
    assert_no_violation(page, axe)


def test_export_the_filtered_list_as_xlsx(live_server, page, axe, sites):
    """From the filtered list to the export form (axe 0), then the file the browser downloads."""
    import io
    import pathlib

    from openpyxl import load_workbook

    log_in(page, live_server, "lecteur@exemple.test")
    page.goto(live_server.url + "/sites/?population=100-plus")
    page.get_by_role("link", name="Exporter ces sites").click()
    page.wait_for_load_state()
    assert "/sites/export/?population=100-plus" in page.url
    assert "3 sites correspondent" in page.locator("main").inner_text()
    assert_no_violation(page, axe)

    page.get_by_label("Conditions de vie").check(force=True)  # DSFR: the label covers the box
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger l’export").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(pathlib.Path(download.path()).read_bytes())).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    people = header.index("Personnes")
    assert sorted(row[people].value for row in sheet.iter_rows(min_row=2)) == [120, 121, 122]
    assert "Statut : Eau" in header

    # A past day in the future is refused in French, the choices kept (the download left the
    # form in place).
    page.fill("#id_as_of", "2999-01-01")
    page.get_by_role("button", name="Télécharger l’export").click()
    page.wait_for_load_state()
    assert "ne peut pas être dans le futur" in page.locator("main").inner_text()
    assert_no_violation(page, axe)

    # The territorial dashboard of the same reader: figures of the five sites, axe 0.
    page.goto(live_server.url + "/sites/tableau-de-bord/")
    main = page.locator("main").inner_text()
    assert "Chiffres clés" in main
    assert "379" in main  # 120 + 121 + 122 + 8 + 8 people
    assert_no_violation(page, axe)
