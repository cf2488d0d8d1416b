"""The demo (development settings, DEBUG on) shows the platform's French 404 page, never Django's
technical one (issue 16, item 13)."""

import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db

MIDDLEWARE = "core.not_found.PlatformNotFoundMiddleware"


def test_the_development_settings_install_it_before_axes():
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.dev'; "
        "from django.conf import settings; print('|'.join(settings.MIDDLEWARE))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    ).stdout.strip()
    middleware = output.split("|")
    assert MIDDLEWARE in middleware
    assert middleware[-1] == "axes.middleware.AxesMiddleware"


@pytest.fixture
def demo(settings, client):
    settings.DEBUG = True
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:-1], MIDDLEWARE, settings.MIDDLEWARE[-1]]
    client.force_login(UserFactory())
    return client


@pytest.mark.parametrize("url", ["/adresse-mal-tapee.html", "/sites/999999/", "/pas-de-page/"])
def test_a_missing_page_is_the_platforms_french_404(demo, url):
    response = demo.get(url)
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page introuvable" in content or "Page non trouvée" in content
    assert "URLconf" not in content and "Django" not in content


def test_a_missing_slash_is_still_added(demo):
    response = demo.get("/sites")
    assert response.status_code == 301 and response.url == "/sites/"
