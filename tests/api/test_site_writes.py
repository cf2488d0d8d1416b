"""Site writes through the API: the screens' forms, rights, services and conflict rule, errors
in JSON with the forms' French messages."""

import datetime

import pytest
from django.utils import timezone

from directory.enums import Role
from sitepages.models import SitePage
from tests.api.support import api_client
from tests.directory.factories import CommuneFactory, DepartmentFactory
from tests.sitepages.edit_support import site_in, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return DepartmentFactory()


def test_a_local_admin_declares_a_site(department):
    commune = CommuneFactory(department=department)
    admin = user_with(Role.LOCAL_ADMIN, department)
    today = timezone.localdate().isoformat()
    response = api_client(admin).post(
        "/api/v1/sites/nouveau/",
        {
            "name": "Les Peupliers",
            "commune": commune.code,
            "declared_at": today,
            "people": 12,
            "owners": [{"type": "public", "name": "Mairie"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    site = SitePage.objects.get(pk=data["id"])
    assert site.live and site.name == "Les Peupliers" and site.people == 12
    assert data["owners"] == [{"type": "public", "name": "Mairie"}]
    assert data["latest_revision"] == site.latest_revision_id


def test_declaring_reports_the_forms_french_errors(department):
    admin = user_with(Role.LOCAL_ADMIN, department)
    response = api_client(admin).post(
        "/api/v1/sites/nouveau/", {"name": "x", "people": "beaucoup"}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["commune"]
    assert errors["people"] == ["Saisissez un nombre entier."]
    assert (
        api_client(admin)
        .post("/api/v1/sites/nouveau/", {"inconnu": 1}, format="json")
        .json()["inconnu"]
    )


def test_who_may_not_declare_gets_a_403(department):
    reader = user_with(Role.INTERVENANT, department)
    response = api_client(reader).post("/api/v1/sites/nouveau/", {}, format="json")
    assert response.status_code == 403


def test_update_changes_only_the_fields_sent_and_detects_conflicts(department):
    site = site_in(department, people=5, address="1 rue Haute")
    admin = user_with(Role.LOCAL_ADMIN, department)
    other = user_with(Role.LOCAL_ADMIN, department)
    client = api_client(admin)
    base = client.get(f"/api/v1/sites/{site.pk}/").json()["latest_revision"]
    response = client.patch(
        f"/api/v1/sites/{site.pk}/modifier/",
        {"people": 8, "base_revision": base},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["people"] == 8
    assert response.json()["address"] == "1 rue Haute"
    stale = base
    newer = response.json()["latest_revision"]
    # Someone else changes the population on the same base: conflict, nothing saved.
    conflict = api_client(other).patch(
        f"/api/v1/sites/{site.pk}/modifier/",
        {"people": 30, "base_revision": stale},
        format="json",
    )
    assert conflict.status_code == 409
    assert conflict.json()["latest_revision"] == newer
    assert "people" in {c["field"] for c in conflict.json()["changes"]}
    assert SitePage.objects.get(pk=site.pk).people == 8


def test_a_reader_without_the_update_right_gets_a_403_and_a_stranger_a_404(department):
    site = site_in(department)
    assert (
        api_client(user_with(Role.INTERVENANT, department))
        .patch(f"/api/v1/sites/{site.pk}/modifier/", {"people": 1}, format="json")
        .status_code
        == 403
    )
    assert (
        api_client(user_with(Role.LOCAL_ADMIN, DepartmentFactory()))
        .patch(f"/api/v1/sites/{site.pk}/modifier/", {"people": 1}, format="json")
        .status_code
        == 404
    )


def test_visit_and_close(department):
    site = site_in(department)
    admin = user_with(Role.LOCAL_ADMIN, department)
    client = api_client(admin)
    response = client.post(f"/api/v1/sites/{site.pk}/visite/")
    assert response.status_code == 200
    assert response.json()["last_visited_at"] == timezone.localdate().isoformat()

    response = client.post(f"/api/v1/sites/{site.pk}/fermer/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["closed_at"]
    closed_at = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        f"/api/v1/sites/{site.pk}/fermer/",
        {
            "closed_at": closed_at,
            "closing_cause": "other",
            "closing_context": "Départ",
            "closed_with_solutions": False,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "ferme"
    assert client.post(f"/api/v1/sites/{site.pk}/visite/").status_code == 403


def test_the_schemas_examples_are_accepted(department, client):
    """The examples partners copy from the documentation work as they are (the base revision
    apart, which is the one of the site they read)."""
    from api.views_sites_write import DECLARATION_EXAMPLE, UPDATE_EXAMPLE

    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    create = schema["paths"]["/api/v1/sites/nouveau/"]["post"]
    documented = create["requestBody"]["content"]["application/json"]["examples"]
    assert [example["value"] for example in documented.values()] == [DECLARATION_EXAMPLE]
    update = schema["paths"]["/api/v1/sites/{id}/modifier/"]["patch"]
    assert "409" in update["responses"] and "400" in update["responses"]

    CommuneFactory(department=department, code=DECLARATION_EXAMPLE["commune"])
    admin = user_with(Role.LOCAL_ADMIN, department)
    api = api_client(admin)
    response = api.post("/api/v1/sites/nouveau/", DECLARATION_EXAMPLE, format="json")
    assert response.status_code == 201, response.json()
    site = response.json()
    response = api.patch(
        f"/api/v1/sites/{site['id']}/modifier/",
        {**UPDATE_EXAMPLE, "base_revision": site["latest_revision"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["people"] == UPDATE_EXAMPLE["people"]
