"""axe-core finds no violation on the search page: before a search, with results and facets,
with facets selected, with a capped answer (« more than … »), in the empty state, and with the
autocomplete list open (Playwright driving Debian's Chromium)."""

import re

import pytest

from directory.enums import Role
from search.backends.postgres import PostgresBackend
from tests.browser.conftest import assert_no_violation, log_in
from tests.directory.factories import UserFactory, give_area
from tests.search import factories as world
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def reader():
    territories = world.Territories()
    user = UserFactory(email="lectrice@exemple.test", role=Role.INTERVENANT)
    give_area(user, territories.d1)
    SitePageFactory(commune=territories.c1, name="Terrain des Lilas", access_details="Près du pont")
    SitePageFactory(commune=territories.c1, name="Terrain du stade")
    SitePageFactory(commune=territories.c4, name="Terrain caché de Marseille")
    world.content_page("Guide du terrain", "<p>Bien décrire un terrain & son accès.</p>")
    return user


def test_search_page(live_server, page, axe, reader, monkeypatch):
    log_in(page, live_server, "lectrice@exemple.test")
    url = live_server.url + "/recherche/"

    page.goto(url)  # before any search
    assert_no_violation(page, axe)

    page.goto(url + "?q=terrain")  # results, highlights, facets
    assert page.locator("ol.search-results > li").count() == 3
    assert page.locator("mark").count() > 0
    assert page.locator("fieldset.search-facet").count() >= 2
    assert "Marseille" not in page.locator("main").inner_text()
    assert_no_violation(page, axe)

    # facets selected (DSFR draws the box on the label: click it, as a user does)
    site_type = page.locator("fieldset#facet-type input[value=site]").get_attribute("id")
    page.locator(f"label[for={site_type}]").click()
    page.locator("main form button[type=submit]", has_text=re.compile("filtres|filters")).click()
    page.wait_for_load_state()
    assert "type=site" in page.url
    assert page.locator("ol.search-results > li").count() == 2
    assert page.locator("fieldset#facet-type input[value=site]").is_checked()
    assert_no_violation(page, axe)

    # More matches than the backend counts: the page says « more than … » and that the facet
    # counts come from a sample.
    monkeypatch.setattr(PostgresBackend, "count_cap", 2)
    page.goto(url + "?q=terrain")
    assert re.search(r"Plus de 2", page.locator("h2#results").inner_text())
    assert page.locator("#facet-sample-note").is_visible()
    assert_no_violation(page, axe)
    monkeypatch.undo()

    page.goto(url + "?q=introuvable")  # empty state
    assert page.locator(".fr-callout").is_visible()
    assert_no_violation(page, axe)

    page.goto(url)  # autocomplete open, then an option chosen with the keyboard
    page.locator("#search-q").press_sequentially("Terr", delay=50)
    listbox = page.locator("#search-q-listbox")
    listbox.wait_for(state="visible")
    assert page.locator("#search-q").get_attribute("aria-expanded") == "true"
    assert "Lilas" in listbox.inner_text() and "Marseille" not in listbox.inner_text()
    assert_no_violation(page, axe)
    page.locator("#search-q").press("ArrowDown")
    assert page.locator("#search-q").get_attribute("aria-activedescendant")
    assert_no_violation(page, axe)
