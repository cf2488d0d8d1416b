"""Every daily page holds on a phone (issue 16, item 9): at 390 px, as a préfecture agent on the
demo data, nothing makes the page scroll sideways, and the page rendered what it should."""

import pytest
from django.core.management import call_command
from machina.core.db.models import get_model

from actions.models import Action
from directory import perms
from directory.models import User
from directory.permission_matrix import Feature
from sitepages.models import SitePage
from tests.browser.conftest import assert_page_heading, log_in
from tests.directory.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
#: the demo's préfecture agent (département du Rhône)
EMAIL = "correspondant@demo.test"


def overflow(page) -> list:
    """The visible elements whose right edge passes the viewport, and the page's own overflow."""
    return page.evaluate(
        """() => {
          const root = document.documentElement;
          const width = root.clientWidth;
          const wide = [...document.querySelectorAll("main *, header *, footer *")]
            .filter((el) => el.offsetParent !== null)
            .filter((el) => !el.closest(".fr-table, .leaflet-container"))
            .filter((el) => el.getBoundingClientRect().right > width + 1)
            .slice(0, 5)
            .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} `
                         + `${Math.round(el.getBoundingClientRect().right)}px`);
          const page = `scrollWidth ${root.scrollWidth} > ${width}`;
          return root.scrollWidth > width + 1 ? [page, ...wide] : [];
        }"""
    )


def test_the_daily_pages_hold_on_a_phone(live_server, page):
    call_command("load_demo", "--force", verbosity=0)
    user = User.objects.get(email=EMAIL)
    user.set_password(DEFAULT_PASSWORD)
    user.save()
    site = next(
        site
        for site in SitePage.objects.live().visible_to(user).order_by("pk")
        if perms.can(user, Feature.SITE_UPDATE, site)
    )
    action = Action.objects.visible_to(user).order_by("pk").first()
    topic = get_model("forum_conversation", "Topic").objects.filter(approved=True).first()
    assert site and action and topic

    page.set_viewport_size(PHONE)
    log_in(page, live_server, EMAIL)
    paths = [
        "/tableau-de-bord/",
        "/sites/",
        "/sites/tableau-de-bord/",
        "/sites/carte/",
        site.url,
        f"/sites/{site.pk}/modifier/",
        f"/sites/{site.pk}/historique/",
        f"/journal/site/{site.pk}/",
        "/actions/",
        f"/actions/{action.pk}/",
        "/annuaire/",
        "/entraide/",
        topic.forum
        and f"/entraide/forum/{topic.forum.slug}-{topic.forum.pk}/topic/{topic.slug}-{topic.pk}/",
        "/notifications/",
        "/notifications/activite/",
        "/recherche/?q=terrain",
        "/mon-compte/",
        "/statistiques/",
        "/",
    ]
    problems = {}
    for path in paths:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert_page_heading(page)
        found = overflow(page)
        if found:
            problems[path] = found
    assert problems == {}, problems

    # The site list is a list of cards on a phone, the table from 576 px.
    page.goto(live_server.url + "/sites/")
    assert page.locator("#sites-cards").is_visible()
    assert not page.locator("#sites-table").is_visible()
    card = page.locator("#sites-cards li").first
    assert card.get_by_role("link").first.is_visible()

    # Search: the results come first, the filters fold under one button.
    page.goto(live_server.url + "/recherche/?q=terrain")
    page.wait_for_load_state("networkidle")
    results_top = page.locator("#results").bounding_box()["y"]
    assert results_top < PHONE["height"], results_top
    refine = page.locator("button[aria-controls='search-refine']")
    assert not page.locator("#search-refine fieldset").first.is_visible()
    refine.click()
    page.locator("#search-refine fieldset").first.wait_for(state="visible")

    # The journal's form, opened, with the chosen audience, stays within the screen.
    page.goto(live_server.url + f"/journal/site/{site.pk}/")
    page.locator("details:has(form.journal-form) > summary").click()
    chosen = page.locator("input[name='audience'][value='chosen']")
    if chosen.count():
        page.locator(f"label[for='{chosen.get_attribute('id')}']").click()
        page.wait_for_timeout(300)
        assert chosen.is_checked()
    found = overflow(page)
    assert found == [], "; ".join(found)

    # From 576 px the table is back, and the filters stand beside the results.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/sites/")
    assert page.locator("#sites-table").is_visible()
    assert not page.locator("#sites-cards").is_visible()
    page.goto(live_server.url + "/recherche/?q=terrain")
    assert page.locator("#search-refine fieldset").first.is_visible()
    assert not refine.is_visible()
