"""The header holds at every width with the national administrator's links (issue 21, part 10):
nothing overflows the page, the logo is never cut, every link stays reachable."""

import pytest
from notifications.signals import notify
from playwright.sync_api import expect

from directory.enums import Role
from tests.browser.conftest import log_in
from tests.directory.factories import UserFactory, give_area

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = [320, 375, 768, 992, 1024, 1280, 1372, 1440, 1920]

#: the header links of a national administrator, by accessible name (beginning)
ADMIN_LINKS = [
    "Notifications",
    "Mon compte",
    "Modération des journaux",
    "Messages reçus",
    "Administration",
]


def _overflow(page) -> dict:
    return page.evaluate(
        """() => {
          const root = document.documentElement;
          const logo = document.querySelector(".fr-header .fr-logo");
          return {
            scroll: root.scrollWidth,
            client: root.clientWidth,
            logoCut: logo ? logo.scrollWidth > logo.clientWidth + 1 : false,
            outside: [...document.querySelectorAll(".fr-header a, .fr-header button")]
              .filter((el) => el.offsetParent !== null)
              .map((el) => [el.textContent.trim(), el.getBoundingClientRect().right])
              .filter(([, right]) => right > root.clientWidth + 1),
          };
        }"""
    )


def test_the_header_holds_at_every_width_for_a_national_admin(live_server, page, axe):
    admin = UserFactory(
        email="admin.national@exemple.test", role=Role.NATIONAL_ADMIN, is_staff=True
    )
    give_area(admin)
    # Longest labels: « Notifications (12 notifications non lues) ».
    for _ in range(12):
        notify.send(admin, recipient=admin, verb="test")
    log_in(page, live_server, admin.email)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/tableau-de-bord/")
        page.wait_for_load_state("networkidle")
        state = _overflow(page)
        assert state["scroll"] == state["client"], (width, state)
        assert not state["logoCut"], (width, state)
        assert not state["outside"], (width, state)
        if width in (1024, 1372):
            results = axe.run(page)
            assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("width", [1024, 1372])
def test_every_admin_link_stays_reachable(live_server, page, width):
    admin = UserFactory(
        email="admin.national@exemple.test", role=Role.NATIONAL_ADMIN, is_staff=True
    )
    give_area(admin)
    log_in(page, live_server, admin.email)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/tableau-de-bord/")
    page.wait_for_load_state("networkidle")  # the DSFR script opens the menu
    header = page.locator("header")
    # Moderation, inbox and administration live in the « Gestion » menu of the navigation.
    button = header.get_by_role("button", name="Gestion")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    for name in ADMIN_LINKS:
        # The menu unfolds with a transition: wait for each link to show.
        expect(header.get_by_role("link", name=name).filter(visible=True).first).to_be_visible()
    assert header.get_by_role("button", name="Se déconnecter").filter(visible=True).count()
