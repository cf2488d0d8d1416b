"""Security headers: Content-Security-Policy on every page (with its admin-only exception),
Permissions-Policy, no inline script or style attribute left in the templates, no Gravatar, and
the proxy's HTTPS header trusted only behind a declared proxy."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.settings.base import content_security_policy, map_tile_source
from directory.enums import Role
from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_every_front_end_page_forbids_inline_scripts_and_styles(client):
    for path in ("/", "/connexion/", "/demande-acces/", "/page-inconnue/"):
        policy = directives(client.get(path))
        assert policy["default-src"] == ["'self'"], path
        assert "'unsafe-inline'" not in policy["script-src"], path
        assert policy["style-src"] == ["'self'"], path
        assert policy["object-src"] == ["'none'"], path
        assert policy["img-src"] == ["'self'", "data:"], path  # no tile server in tests
        assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]


def test_front_end_pages_load_every_script_from_a_file(client):
    content = client.get("/").content.decode()
    scripts = re.findall(r"<script[^>]*>", content)
    assert scripts and all("src=" in tag for tag in scripts), scripts


def test_only_the_wagtail_admin_allows_inline_scripts_and_styles(client):
    admin = UserFactory(role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["default-src"] == ["'self'"] and policy["img-src"] == ["'self'", "data:"]
    # The same user on the front end gets the strict policy.
    assert "'unsafe-inline'" not in directives(client.get("/tableau-de-bord/"))["script-src"]


def test_the_map_tile_server_is_allowed_for_images(settings):
    assert map_tile_source("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://*.tile.openstreetmap.org"
    )
    assert map_tile_source("https://tuiles.example.gouv.fr:8443/{z}/{x}/{y}.png") == (
        "https://tuiles.example.gouv.fr:8443"
    )
    assert map_tile_source("") is None
    # A placeholder inside the first label widens to the wildcard; elsewhere it cannot be said.
    assert map_tile_source("https://tiles-{s}.example.org/{z}/{x}/{y}.png") == (
        "https://*.example.org"
    )
    with pytest.raises(ImproperlyConfigured):
        map_tile_source("https://tiles.{s}.example.org/{z}/{x}/{y}.png")
    policy = content_security_policy("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")
    assert policy["DIRECTIVES"]["img-src"][-1] == "https://*.tile.openstreetmap.org"


def test_permissions_policy_disables_unused_browser_features(client):
    header = client.get("/")["Permissions-Policy"]
    for feature in ("geolocation=()", "camera=()", "microphone=()", "payment=()", "usb=()"):
        assert feature in header
    assert "fullscreen=(self)" in header


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle=", re.I)
EVENT_ATTRIBUTE = re.compile(r"\son[a-z]+=\"", re.I)


def project_templates():
    root = settings.BASE_DIR
    for path in root.glob("**/templates/**/*.html"):
        relative = path.relative_to(root)
        if relative.parts[0] in {".venv", "var", "node_modules"}:
            continue
        # Emails are read in mail clients (no CSP there; inline styles are what they support).
        if "emails" in relative.parts or relative.name.endswith("_email.html"):
            continue
        yield relative, path.read_text()


def test_no_template_has_an_inline_script_style_or_event_attribute():
    offenders = [
        f"{relative}: {pattern.pattern}"
        for relative, text in project_templates()
        for pattern in (INLINE_SCRIPT, STYLE_ATTRIBUTE, EVENT_ATTRIBUTE)
        if pattern.search(text)
    ]
    assert len(list(project_templates())) > 100
    assert offenders == []


def test_the_scan_would_find_an_inline_script_or_style():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/x.js"></script>')
    assert STYLE_ATTRIBUTE.search('<li class="x" style="color: red">')
    assert EVENT_ATTRIBUTE.search('<a onclick="go()">')


def test_the_admin_shows_no_gravatar(client):
    admin = UserFactory(role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    for path in ("/admin/", "/admin/account/", "/admin/users/"):
        content = client.get(path).content.decode()
        assert "gravatar" not in content, path


def production_setting(name: str, **environment) -> str:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://user:pass@db.example:5432/resorption",
        **environment,
    }
    if "TRUSTED_PROXY_COUNT" not in environment:
        env.pop("TRUSTED_PROXY_COUNT", None)
    code = f"from django.conf import settings; print(repr(settings.{name}))"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    return result.stdout.strip()


def test_the_proxy_https_header_is_trusted_only_behind_a_declared_proxy():
    assert production_setting("SECURE_PROXY_SSL_HEADER") == "None"
    assert production_setting("SECURE_PROXY_SSL_HEADER", TRUSTED_PROXY_COUNT="0") == "None"
    assert production_setting("SECURE_PROXY_SSL_HEADER", TRUSTED_PROXY_COUNT="1") == (
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )
