"""Actions are search documents: name, goals, topics, operators, department — never finances;
their access keys are the reading rule (`actions.perms.can_read`)."""

import datetime

import pytest

from actions import perms, services
from actions.models import Action, ActionFinance
from directory.enums import Role
from search import access
from search.models import SearchDocument
from tests.actions.factories import ActionFactory
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    OrganizationFactory,
    UserFactory,
    give_area,
)

pytestmark = pytest.mark.django_db


def test_an_action_is_indexed_without_its_finances():
    department = DepartmentFactory(name="Rhône")
    organization = OrganizationFactory(name="Association Horizons")
    action = ActionFactory(
        department=department, name="Médiation scolaire", operators=[organization]
    )
    user = action.pilots.get()
    ActionFinance.objects.create(
        action=action, year=2024, finance_type="state", planned_amount=4242, comment="SECRETFIN"
    )
    services.save_finances(action=action, user=user, rows=list(action.finances.all()))
    document = SearchDocument.objects.get(ref=f"action:{action.pk}")
    assert document.title == "Médiation scolaire"
    assert "Association Horizons" in document.text and "Rhône" in document.text
    assert "SECRETFIN" not in document.text and "4242" not in document.text
    assert document.department_code == department.code


def test_deleting_an_action_removes_its_document():
    action = ActionFactory()
    services.record_revision(action=action, user=None)
    ref = f"action:{action.pk}"
    assert SearchDocument.objects.filter(ref=ref, deleted=False).exists()
    action.delete()
    assert SearchDocument.objects.get(ref=ref).deleted


@pytest.mark.parametrize("relation", ["none", "pilot", "operator member"])
@pytest.mark.parametrize(
    "role", [Role.NATIONAL_ADMIN, Role.LOCAL_ADMIN, Role.INTERVENANT, Role.OBSERVATEUR_EXTERNE]
)
@pytest.mark.parametrize("area", ["department", "commune", "other", "nation"])
def test_action_keys_match_can_read(role, relation, area):
    department = DepartmentFactory()
    action = ActionFactory(department=department, started_at=datetime.date(2024, 1, 1))
    organization = OrganizationFactory()
    user = UserFactory(role=role, organization=organization)
    territory = {
        "department": department,
        "commune": CommuneFactory(department=department),
        "other": DepartmentFactory(),
        "nation": None,
    }[area]
    give_area(user, territory)
    if relation == "pilot":
        action.pilots.add(user)
    elif relation == "operator member":
        action.operator_rows.create(organization=organization)
    action = Action.objects.prefetch_related("pilots", "operator_rows").get(pk=action.pk)
    shared = set(access.action_keys(action)) & access.reader_keys(user)
    assert bool(shared) == perms.can_read(user, action)
