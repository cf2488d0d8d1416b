"""Every response of the read endpoints conforms to the generated OpenAPI schema (3.1, whose
schemas are JSON Schema), for a reader with every right and for one with few: the fields a
reader may not see are absent, never malformed, and nothing answers 5xx."""

import pytest
from jsonschema import Draft202012Validator
from notifications.models import Notification

from directory.enums import Role
from journal.enums import Audience
from journal.services import post_entry
from sitepages.models import SiteOwner
from tests.api.support import api_client, member
from tests.directory.factories import DepartmentFactory
from tests.sitepages.list_factories import bulk_sites

pytestmark = pytest.mark.django_db


def response_validator(schema, path, method="get", code="200"):
    operation = schema["paths"][path][method]
    body = operation["responses"][code]["content"]["application/json"]["schema"]
    return Draft202012Validator({**body, "components": schema["components"]})


@pytest.mark.parametrize("role", [Role.NATIONAL_ADMIN, Role.INTERVENANT])
def test_every_read_endpoint_conforms_to_the_schema(client, role):
    department = DepartmentFactory()
    [site] = bulk_sites(1, department=department, justice_procedure=True, people=3)
    SiteOwner.objects.create(site=site, type="public", name="Mairie")
    user = member(role, None if role == Role.NATIONAL_ADMIN else department)
    post_entry(site=site, author=user, text="Bonjour", audience=Audience.SITE_READERS)
    Notification.objects.create(recipient=user, actor=user, verb="a écrit")
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    api = api_client(user)
    ids = {"/api/v1/sites/{id}/": site.pk, "/api/v1/utilisateurs/{id}/": user.pk}
    checked = 0
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        url = path
        if "{id}" in path:
            if path.startswith("/api/v1/sites/"):
                url = path.replace("{id}", str(site.pk))
            elif path in ids:
                url = path.replace("{id}", str(ids[path]))
            else:
                continue
        params = {"q": "Site"} if path.endswith("/recherche/") else {"statut": "tous"}
        response = api.get(url, params if path.endswith(("/recherche/", "/sites/")) else None)
        assert response.status_code < 500, url
        if response.status_code == 403:
            assert role != Role.NATIONAL_ADMIN, url
            continue
        assert response.status_code == 200, (url, response.content)
        errors = [
            f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in response_validator(schema, path).iter_errors(response.json())
        ]
        assert not errors, (url, errors)
        checked += 1
    assert checked >= 12
