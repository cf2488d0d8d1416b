"""axe-core finds no violation on the public side: home, a guide, the FAQ, the statistics, the
contact form (empty and with errors) and the "report a site" form; the FAQ's accordions open."""

import pytest
from playwright.sync_api import expect

from cms import demo
from sitepages.enums import SolutionType
from tests.cms.factories import closed_site, this_year
from tests.factories import CommuneFactory, DepartmentFactory
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


def assert_no_violation(page, axe):
    results = axe.run(page)
    assert results.violations_count == 0, page.url + "\n" + results.generate_report()


def test_public_pages_have_no_accessibility_violation(live_server, page, axe, pages):
    keys = ("home", "guides", "declarer-une-action", "faq", "statistics", "contact", "report")
    for key in (*keys, "charter"):
        url = "/" if key == "home" else pages[key].url
        page.goto(live_server.url + url)
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
