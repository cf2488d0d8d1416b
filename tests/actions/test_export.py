"""The action export: finances only where allowed, formulas neutralised, logged, constant
queries."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import ActionExport, ActionFinance
from directory.enums import Role
from tests.actions.bulk import bulk_actions
from tests.actions.factories import ActionFactory
from tests.directory.factories import DepartmentFactory, OrganizationFactory, UserFactory, give_area

pytestmark = pytest.mark.django_db


def member(role, area):
    user = UserFactory(role=role)
    give_area(user, area)
    return user


def rows_of(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_export_is_logged_and_neutralises_formulas(client):
    department = DepartmentFactory()
    ActionFactory(department=department, name="=HYPERLINK(1)")
    user = member(Role.LOCAL_ADMIN, department)
    client.force_login(user)
    response = client.post(reverse("actions:export"), {"file_format": "csv"})
    assert response.status_code == 200
    rows = rows_of(response)
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert ActionExport.objects.get().user == user


@pytest.mark.parametrize(
    ("role", "with_finances"),
    [(Role.LOCAL_ADMIN, True), (Role.PARTENAIRE_INSTITUTIONNEL, False)],
)
def test_finances_are_exported_only_where_allowed(client, role, with_finances):
    department = DepartmentFactory()
    action = ActionFactory(department=department)
    ActionFinance.objects.create(
        action=action, year=2024, finance_type="state", planned_amount=987654
    )
    client.force_login(member(role, department))
    response = client.post(reverse("actions:export"), {"file_format": "csv"})
    content = response.content.decode("utf-8-sig")
    assert ("987654" in content) is with_finances
    assert ("Total prévu" in content) is with_finances


def test_the_xlsx_export_has_a_sheet_of_indicators_per_year(client):
    department = DepartmentFactory()
    user = member(Role.LOCAL_ADMIN, department)
    bulk_actions(3, department=department, organization=OrganizationFactory(), pilot=user)
    client.force_login(user)
    response = client.post(
        reverse("actions:export"), {"file_format": "xlsx", "with_indicators": "on"}
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:2] == ["Actions", "Indicateurs 2024"]
    assert workbook["Actions"].max_row == 4


def test_the_export_keeps_a_constant_number_of_queries(client):
    department = DepartmentFactory()
    user = member(Role.LOCAL_ADMIN, department)
    organization = OrganizationFactory()
    client.force_login(user)
    bulk_actions(10, department=department, organization=organization, pilot=user)
    params = {"file_format": "xlsx", "with_indicators": "on"}

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("actions:export"), params)
        assert response.status_code == 200
        return len(queries)

    count()
    small = count()
    bulk_actions(290, department=department, organization=organization, pilot=user)
    assert count() == small
