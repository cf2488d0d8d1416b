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
        message = "Chromium is not installed (apt-get install chromium): browser tests skipped."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but " + message, pytrace=False)
        pytest.skip(message)
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
