"""The API's interactive documentation (Swagger UI from drf-spectacular-sidecar) renders in a
real browser under the platform's Content-Security-Policy, without any third-party request."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PageWatcher

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_api_documentation_renders_under_the_policy(live_server, page):
    watcher = PageWatcher(page)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    watcher.visit(live_server.url + "/api/v1/documentation/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("API partenaires")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert page.locator(".opblock").count() > 10
    watcher.collect()
    assert watcher.violations == [], "\n".join(watcher.violations)
    assert watcher.foreign_requests(urlsplit(live_server.url).netloc) == []
    assert errors == []
