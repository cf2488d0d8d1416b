"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Chromium comes from the distribution (`apt-get install chromium`); Playwright's own browser
download is never used. Outside CI a machine without Chromium skips these tests and says why;
under CI=true a missing Chromium is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

from tests.conftest import missing_tool

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    return candidate if Path(candidate).exists() else None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    executable = chromium_path()
    if executable is None:
        missing_tool("Chromium", "apt-get install chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the
    # test body (factories, assertions) are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            _share_serialized_contents()
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
            connections.close_all()  # the connections opened while Playwright's loop ran
    finally:
        connections.close_all()
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def _share_serialized_contents():
    """Let `serialized_rollback` restore the migrations' data in browser tests.

    Django keeps database connections in an asgiref `Local` that is thread-local while no event
    loop runs and context-local once one does: Playwright's sync API runs one in the test thread,
    so Django then uses other connection objects than the one the test database contents were
    serialized on. Give them those contents.
    """
    sync_storage = object.__getattribute__(connections._connections, "_storage")
    for alias in connections:
        original = getattr(sync_storage, alias, None)
        contents = getattr(original, "_test_serialized_contents", None)
        if contents is not None and not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def totp_code_of(email: str) -> str:
    """The current code of the authenticator of `email` (its device is created if needed)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from directory.models import User

    user = User.objects.get(email__iexact=email)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def log_in(page, live_server, email: str) -> None:
    """Log in through the login form, then the second factor when the account needs one (an
    authenticator is created for it if it has none yet), and check that the login worked: the
    browser left the login pages and the header offers to log out.

    The cookies are cleared first, so that a test can change user on the same page."""
    from directory.models import User
    from directory.perms import must_use_second_factor
    from tests.directory.factories import DEFAULT_PASSWORD

    if must_use_second_factor(User.objects.get(email__iexact=email)):
        totp_code_of(email)
    page.context.clear_cookies()
    page.goto(live_server.url + "/connexion/")
    page.fill("#id_username", email)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    pass_second_factor(page, email)
    assert_logged_in(page, email)


def assert_logged_in(page, email: str = "") -> None:
    from urllib.parse import urlsplit

    from django.urls import reverse

    path = urlsplit(page.url).path
    assert not path.startswith(reverse("login")), f"login of {email} failed: still on {page.url}"
    logout = page.locator(f"header form[action='{reverse('logout')}'] button[type=submit]")
    assert logout.count() >= 1, f"login of {email} failed: no logout button on {page.url}"


def refusal_headings() -> set[str]:
    """The French headings of the error pages (403, 404, 500, 503)."""
    from django.utils.translation import gettext, override

    with override("fr"):
        return {
            gettext(text)
            for text in (
                "Access denied",
                "Page not found",
                "Unexpected error",
                "Service temporarily unavailable",
            )
        }


def assert_page_heading(page, heading: str | None = None) -> str:
    """The page rendered what it should before an accessibility check: one visible, non-empty
    main heading, containing `heading` when given; otherwise at least neither an error page nor
    the login form (axe would find no violation on those either)."""
    from urllib.parse import urlsplit

    from django.urls import reverse

    # An open dialog is what the user reads: its heading is checked; otherwise the page's (closed
    # dialogs have their own, hidden, h1).
    h1 = page.locator("dialog[open] h1:visible")
    if not h1.count():
        h1 = page.locator("h1:visible")
    assert h1.count() == 1, f"{page.url}: {h1.count()} visible h1"
    text = " ".join(h1.inner_text().split())
    assert text, f"{page.url}: empty h1"
    if heading is not None:
        assert heading in text, f"{page.url}: heading {text!r}, expected {heading!r}"
        return text
    assert text not in refusal_headings(), f"{page.url}: error page {text!r}"
    assert urlsplit(page.url).path != reverse("login"), f"{page.url}: the login page"
    return text


def assert_no_violation(page, axe, heading: str | None = None) -> None:
    """axe-core finds no violation on the current page, after checking its heading."""
    assert_page_heading(page, heading)
    results = axe.run(page)
    assert results.violations_count == 0, page.url + "\n" + results.generate_report()


def pass_second_factor(page, email: str) -> None:
    """After the password: when the platform asks for the second factor, type the code."""
    if "/connexion/verification/" not in page.url:
        return
    page.fill("#id_code", totp_code_of(email))
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_load_state()


class PageWatcher:
    """Records, for the pages a test visits, every Content-Security-Policy violation (the
    `securitypolicyviolation` events and the console's reports) and every request the browser
    sends (URL, to find those leaving the platform's host)."""

    INIT_SCRIPT = """
      window.__cspViolations = [];
      document.addEventListener("securitypolicyviolation", function (event) {
        window.__cspViolations.push(
          event.violatedDirective + " " + (event.blockedURI || "inline") + " at " +
          event.sourceFile + ":" + event.lineNumber + " " + (event.sample || ""));
      });
    """

    def __init__(self, page):
        self.page = page
        self.violations: list[str] = []
        self.requests: list[str] = []
        page.add_init_script(self.INIT_SCRIPT)
        page.on("console", self._console)
        page.on("request", lambda request: self.requests.append(request.url))

    def _console(self, message):
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            self.violations.append(f"{self.page.url}: console: {message.text}")

    def collect(self) -> None:
        """Read the violations reported on the current page (call before leaving it)."""
        try:
            events = self.page.evaluate("window.__cspViolations || []")
        except Exception:  # noqa: BLE001 - the page navigated meanwhile: nothing to read
            events = []
        self.violations.extend(f"{self.page.url}: {event}" for event in events)

    def visit(self, url: str) -> None:
        """Open `url` (which may redirect only below itself) and read its reports."""
        from urllib.parse import urlsplit

        response = self.page.goto(url)
        assert response is not None and response.status < 500, url
        final = urlsplit(self.page.url).path
        assert final.startswith(urlsplit(url).path), f"{url} → {self.page.url}"
        self.page.wait_for_load_state("networkidle")
        self.collect()

    def foreign_requests(self, host: str) -> list[str]:
        from urllib.parse import urlsplit

        return [
            url
            for url in self.requests
            if urlsplit(url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(url).netloc != host
        ]
