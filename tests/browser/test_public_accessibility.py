"""axe-core finds no violation on the public side: home, a guide, the FAQ, the statistics, the
contact form (empty and with errors) and the "report a site" form; the FAQ's accordions open."""

import pytest
from playwright.sync_api import expect

from cms import demo, statistics
from sitepages.enums import SolutionType
from tests.browser.conftest import assert_no_violation
from tests.cms.factories import closed_site, this_year
from tests.directory.factories import CommuneFactory, DepartmentFactory
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def pages():
    pages = demo.load_demo()
    rhone, nord = (
        DepartmentFactory(code="69", name="Rhône"),
        DepartmentFactory(code="59", name="Nord"),
    )
    for department, people in [(rhone, 40), (rhone, 25), (rhone, 18), (nord, 5)]:
        SitePageFactory(commune=CommuneFactory(department=department), people=people, minors=4)
    closed_site(year=this_year() - 1, solutions=[(SolutionType.HOUSING, 25)])
    return pages


def test_public_pages_have_no_accessibility_violation(live_server, page, axe, pages):
    keys = ("home", "guides", "declarer-une-action", "faq", "statistics", "contact", "report")
    for key in (*keys, "charter"):
        url = "/" if key == "home" else pages[key].url
        page.goto(live_server.url + url)
        assert_no_violation(page, axe, None if key == "home" else pages[key].title)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_statistics_map_has_no_violation_in_both_themes(live_server, page, axe, pages, theme):
    # A third department large enough to be published: Seine-Saint-Denis gets a circle while
    # Nord (5 people) and, by complementary suppression, Rhône are hatched.
    department = DepartmentFactory(code="93", name="Seine-Saint-Denis")
    for people in (120, 80, 60):
        SitePageFactory(commune=CommuneFactory(department=department), people=people)
    statistics.clear_cache()
    page.emulate_media(color_scheme=theme)  # DSFR's "system" scheme follows it
    page.goto(live_server.url + pages["statistics"].url)
    expect(page.locator("html")).to_have_attribute("data-fr-theme", theme)

    name = page.locator("#stats-map-title").text_content()
    svg = page.get_by_role("img", name=name, exact=True)  # named by its <title>
    expect(svg).to_be_visible()
    # one circle for Seine-Saint-Denis, drawn twice: on the map and in the Paris zoom
    expect(svg.locator("circle.stats-map__symbol")).to_have_count(2)
    expect(svg.locator("path.stats-map__shape--suppressed")).to_have_count(2)
    link = page.locator('a[href="#departements-table"]')
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("#departements-table caption")).to_be_in_viewport()
    # The circles follow the theme (DSFR variables), against the land drawn under them.
    fill, land = page.evaluate(
        """() => [
            getComputedStyle(document.querySelector("circle.stats-map__symbol")).fill,
            getComputedStyle(document.querySelector("path.stats-map__shape--none")).fill,
        ]"""
    )
    assert (fill, land) == (
        ("rgb(0, 0, 145)", "rgb(238, 238, 238)")
        if theme == "light"
        else ("rgb(133, 133, 246)", "rgb(36, 36, 36)")
    )
    assert_no_violation(page, axe)


def test_the_contact_form_with_errors_has_no_violation(live_server, page, axe, pages):
    page.goto(live_server.url + pages["contact"].url)
    page.locator("#contact-form button[type=submit]").click()
    page.wait_for_selector(".fr-alert--error")
    assert page.locator(".fr-error-text").count() >= 3
    assert_no_violation(page, axe)


def test_the_faq_accordions_open(live_server, page, pages):
    page.goto(live_server.url + pages["faq"].url)
    first = page.locator(".fr-accordion__btn").first
    first.click()
    expect(first).to_have_attribute("aria-expanded", "true")
    # The accordion opens with a transition: wait for it (Playwright's web-first assertion).
    expect(page.get_by_text("En partie, mais pas que…")).to_be_visible()
