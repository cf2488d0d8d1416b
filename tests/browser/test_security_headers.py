"""The Content-Security-Policy holds in a real browser, and no page calls a third-party host.

Chromium visits the main page families of the front end (anonymous, a field user, an
administrator) and of the Wagtail admin, records every CSP violation it reports (the
`securitypolicyviolation` events and the console) and every request it sends: none may be
reported, and none may leave the platform's host. Map tiles are a setting, empty in tests.
"""

from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from cms import demo
from directory.enums import Role
from tests.browser.conftest import PageWatcher, log_in
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory
from tests.directory.factories import give_area as give_area_to
from tests.journal.factories import EntryFactory
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

READER = "lectrice@exemple.test"
ADMIN = "admin@exemple.test"


@pytest.fixture
def platform():
    pages = demo.load_demo()
    department = DepartmentFactory(code="69", name="Rhône")
    site = SitePageFactory(
        commune=CommuneFactory(department=department, name="Villeurbanne"),
        people=40,
        latitude=Decimal("45.77"),
        longitude=Decimal("4.88"),
    )
    reader = UserFactory(email=READER, role=Role.CORRESPONDANT)
    give_area_to(reader, department)
    admin = UserFactory(email=ADMIN, role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)
    give_area_to(admin, None)
    EntryFactory(site=site, author=reader, text="Point d’eau réparé.")
    return {"pages": pages, "site": site, "admin": admin}


def front_end_pages(platform, role):
    pages, site = platform["pages"], platform["site"]
    if role == "anonymous":
        return [
            "/",
            pages["guides"].url,
            pages["faq"].url,
            pages["statistics"].url,
            pages["contact"].url,
            pages["report"].url,
            pages["charter"].url,
            "/connexion/",
            "/mot-de-passe-oublie/",
            "/demande-acces/",
            "/page-qui-n-existe-pas/",
        ]
    common = [
        "/tableau-de-bord/",
        "/mon-compte/",
        "/sites/",
        "/sites/carte/",
        site.url,
        f"/sites/{site.pk}/modifier/",
        f"/sites/{site.pk}/fermeture/",
        f"/sites/{site.pk}/historique/",
        "/sites/nouveau/",
        f"/journal/site/{site.pk}/",
        "/annuaire/",
        "/entraide/",
        "/recherche/?q=eau",
        "/notifications/",
        "/notifications/activite/",
    ]
    if role == ADMIN:
        common += [
            "/administration/demandes-acces/",
            "/sites/tableau-de-bord/",
            "/journal/moderation/",
            "/messages-recus/",
            "/annuaire/roles/",
        ]
    return common


def admin_pages(platform):
    pages, site, admin = platform["pages"], platform["site"], platform["admin"]
    home = pages["guides"].get_parent()
    return [
        "/admin/",
        f"/admin/pages/{home.pk}/",
        f"/admin/pages/{site.pk}/edit/",
        f"/admin/pages/{pages['guides'].pk}/edit/",
        f"/admin/pages/{pages['faq'].pk}/edit/",
        f"/admin/pages/add/cms/contentpage/{home.pk}/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/snippets/",
        "/admin/users/",
        f"/admin/users/edit/{admin.pk}/",
        "/admin/account/",
        "/admin/settings/cms/mainmenu/",
        "/admin/reports/site-history/",
    ]


def assert_clean(watcher, live_server):
    host = urlsplit(live_server.url).netloc
    assert watcher.violations == [], "\n".join(watcher.violations)
    assert watcher.foreign_requests(host) == []


@pytest.mark.parametrize("role", ["anonymous", READER, ADMIN])
def test_front_end_pages_respect_the_policy_and_stay_on_the_platform(
    live_server, page, platform, role
):
    watcher = PageWatcher(page)
    if role != "anonymous":
        log_in(page, live_server, role)
    for path in front_end_pages(platform, role):
        watcher.visit(live_server.url + path)
    # The behaviours moved out of inline scripts still work: the access request form shows the
    # organisation fields of the choice made (static/js/conditional-fields.js).
    if role == "anonymous":
        watcher.visit(live_server.url + "/demande-acces/")
        expect(page.locator("#group-new-organization")).to_be_hidden()
        page.locator("label[for=id_organization_kind_1]").click()
        expect(page.locator("#group-new-organization")).to_be_visible()
        watcher.collect()
    assert len(watcher.requests) > 20  # the recorder did see the pages and their assets
    assert_clean(watcher, live_server)


def test_the_wagtail_admin_works_under_its_policy_without_third_party_calls(
    live_server, page, platform
):
    watcher = PageWatcher(page)
    errors = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    log_in(page, live_server, ADMIN)
    for path in admin_pages(platform):
        watcher.visit(live_server.url + path)
    # The page editor's scripts run (Wagtail's inline scripts carry the nonce): its tabs work.
    watcher.visit(live_server.url + f"/admin/pages/{platform['pages']['faq'].pk}/edit/")
    expect(page.locator("[data-w-tabs-target='trigger']").first).to_be_visible()
    assert page.locator("img[src*='gravatar']").count() == 0
    assert_clean(watcher, live_server)
    assert errors == []


def test_the_watcher_reports_violations_and_foreign_requests(live_server, page, platform):
    # Guards the tests above: an inline style and an inline script are reported, and a request
    # to another host is recorded.
    watcher = PageWatcher(page)
    watcher.visit(live_server.url + "/connexion/")
    page.evaluate(
        """() => {
          document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.appendChild(script);
        }"""
    )
    page.wait_for_timeout(200)
    watcher.collect()
    assert any("style-src" in violation for violation in watcher.violations)
    assert any("script-src" in violation for violation in watcher.violations)
    assert page.evaluate("window.injected === undefined")

    page.set_content('<img src="http://tiles.example.invalid/1/2/3.png" alt="">')
    host = urlsplit(live_server.url).netloc
    assert watcher.foreign_requests(host) == ["http://tiles.example.invalid/1/2/3.png"]
