"""List endpoints cost a constant number of SQL queries, whatever the number of objects."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.enums import Role
from tests.api.support import api_client, member
from tests.factories import DepartmentFactory, UserFactory
from tests.sitepages.list_factories import bulk_sites

pytestmark = pytest.mark.django_db


def _queries(client, url, params=None) -> int:
    client.get(url, params)  # warm the per-request caches of permissions and charter
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("role", [Role.NATIONAL_ADMIN, Role.INTERVENANT])
def test_the_site_list_costs_the_same_with_10_and_500_sites(role):
    department = DepartmentFactory()
    user = member(role, None if role == Role.NATIONAL_ADMIN else department)
    client = api_client(user)
    params = {"statut": "tous", "taille": 200}
    bulk_sites(10, department=department)
    few = _queries(client, "/api/v1/sites/", params)
    bulk_sites(490, department=department)
    many = _queries(client, "/api/v1/sites/", params)
    assert many == few


def test_the_directory_costs_the_same_with_10_and_500_people():
    user = member(Role.INTERVENANT)
    client = api_client(user)
    UserFactory.create_batch(10)
    few = _queries(client, "/api/v1/utilisateurs/", {"taille": 200})
    UserFactory.create_batch(490)
    many = _queries(client, "/api/v1/utilisateurs/", {"taille": 200})
    assert many == few
