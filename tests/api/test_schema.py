"""The OpenAPI schema is generated from the code, valid, French, limited to /api/v1/; the
interactive documentation works under the strict Content-Security-Policy with local assets."""

import re

import pytest
from django.contrib.staticfiles import finders
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3_and_covers_v1_only(client):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert schema["paths"]
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    assert "/api/v1/sites/{id}/" in schema["paths"]
    assert "jetonPersonnel" in schema["components"]["securitySchemes"]
    assert "jeton personnel" in schema["info"]["description"]
    summary = schema["paths"]["/api/v1/sites/"]["get"]["summary"]
    assert summary.startswith("Les sites que l’utilisateur peut lister")


def test_the_documentation_page_uses_local_assets_and_no_inline_script(client):
    response = client.get("/api/v1/documentation/")
    assert response.status_code == 200
    html = response.content.decode()
    policy = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "http" not in script_src
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/static/' in attributes for attributes in scripts)
    assert "<style" not in html and "style=" not in html
    for asset in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        assert finders.find(asset), asset
    assert "https://" not in html
