"""A schema-driven fuzz run of the partner API (issue 23): schemathesis generates requests for
every operation of the generated OpenAPI schema — valid ones and, for the parameters and bodies,
invalid ones — and sends them with the token of a préfecture agent (a local role) through the
real WSGI application. Whatever it sends, nothing answers 5xx and every answer the schema
describes has the shape it gives.

A bounded number of examples per operation (`EXAMPLES`), derandomised: the same requests on
every run, so a failure can be replayed."""

import json

import pytest
import schemathesis
from django.test.client import ClientHandler
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from notifications.models import Notification
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from directory.enums import Role
from journal.enums import Audience
from journal.services import post_entry
from sitepages.models import SiteOwner
from tests.api.support import member, token_for
from tests.directory.factories import CommuneFactory, DepartmentFactory
from tests.sitepages.list_factories import bulk_sites

pytestmark = pytest.mark.django_db

EXAMPLES = 12
#: What the fuzz run holds the API to: no 5xx, and every documented answer shaped as documented.
#: (Undocumented status codes are not checked here: the API answers the French errors of the
#: forms with 400, 403, 404, 409 and 429 as docs/api.md says.)
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
]


def served_schema() -> dict:
    """The schema `/api/v1/schema/` serves (generated the same way, without a request: the
    operations are collected before any test, and the database is not needed for it)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(None, public=True)))


@pytest.fixture
def local_token():
    """A préfecture agent of one department with sites, an owner, a journal message and a
    notification to read: the token the fuzz run calls with."""
    department = DepartmentFactory()
    CommuneFactory(department=department)
    sites = bulk_sites(2, department=department, justice_procedure=True, people=3)
    SiteOwner.objects.create(site=sites[0], type="public", name="Mairie")
    user = member(Role.CORRESPONDANT, department)
    post_entry(site=sites[0], author=user, text="Bonjour", audience=Audience.SITE_READERS)
    Notification.objects.create(recipient=user, actor=user, verb="a écrit")
    return token_for(user)


def application(environ, start_response):
    """The platform's WSGI application as Django's test client runs it: inside the test's
    transaction (a request does not close the test's database connection), CSRF checks on."""
    response = ClientHandler(enforce_csrf_checks=True)(environ)
    headers = list(response.items())
    headers += [
        ("Set-Cookie", cookie.output(header="").strip()) for cookie in response.cookies.values()
    ]
    start_response(f"{response.status_code} {response.reason_phrase}", headers)
    if response.streaming:
        return [b"".join(response.streaming_content)]
    return [response.content]


schema = schemathesis.openapi.from_dict(served_schema())
schema.app = application


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_survives_generated_requests(case, local_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {local_token}", "Host": "testserver"},
        checks=CHECKS,
    )


def test_the_fuzz_run_covers_every_operation_the_platform_serves(client):
    """The run is not empty and fuzzes what partners read: every operation of the schema served
    at /api/v1/schema/ (reads and writes)."""
    raw = client.get("/api/v1/schema/", {"format": "json"}).json()
    assert raw["paths"] == served_schema()["paths"]
    operations = {
        (method.upper(), path)
        for path, methods in raw["paths"].items()
        for method in methods
        if method in ("get", "post", "put", "patch", "delete")
    }
    assert len(operations) >= 20
    assert any(method == "POST" for method, _path in operations)
    fuzzed = {
        (operation.method.upper(), operation.path)
        for operation in (result.ok() for result in schema.get_all_operations())
    }
    assert fuzzed == operations
