"""Who may do what with an action: the matrix on the action's department, widened by the
relation to the action (pilot, member of an operator). Written independently of the matrix."""

import pytest

from actions import perms
from actions.models import Action
from directory.enums import Role, UserStatus
from tests.actions.factories import ActionFactory
from tests.directory.factories import DepartmentFactory, OrganizationFactory, UserFactory, give_area

pytestmark = pytest.mark.django_db

ROLES = [
    Role.NATIONAL_ADMIN,
    Role.LOCAL_ADMIN,
    Role.CORRESPONDANT,
    Role.ACTEUR_NATIONAL,
    Role.PARTENAIRE_INSTITUTIONNEL,
    Role.OPERATEUR,
    Role.INTERVENANT,
    Role.OBSERVATEUR_EXTERNE,
]
RELATIONS = ["none", "pilot", "operator member"]

#: role -> may read the finances of an action of their own department, without any relation
FINANCES_IN_AREA = {
    Role.NATIONAL_ADMIN: True,
    Role.LOCAL_ADMIN: True,
    Role.CORRESPONDANT: True,
    Role.ACTEUR_NATIONAL: True,
    Role.PARTENAIRE_INSTITUTIONNEL: False,
    Role.OPERATEUR: True,
    Role.INTERVENANT: False,
    Role.OBSERVATEUR_EXTERNE: False,
}
#: role -> the same, for an action of another department (national scopes only)
FINANCES_ELSEWHERE = {
    Role.NATIONAL_ADMIN: True,
    Role.LOCAL_ADMIN: False,
    Role.CORRESPONDANT: False,
    Role.ACTEUR_NATIONAL: True,
    Role.PARTENAIRE_INSTITUTIONNEL: False,
    Role.OPERATEUR: False,
    Role.INTERVENANT: False,
    Role.OBSERVATEUR_EXTERNE: False,
}
#: role -> may update an action of their department without any relation
UPDATE_IN_AREA = {
    Role.NATIONAL_ADMIN: True,
    Role.LOCAL_ADMIN: True,
    Role.CORRESPONDANT: True,
    Role.ACTEUR_NATIONAL: False,
    Role.PARTENAIRE_INSTITUTIONNEL: True,
    Role.OPERATEUR: True,
    Role.INTERVENANT: False,
    Role.OBSERVATEUR_EXTERNE: False,
}


def related_user(role, relation, action, *, area):
    organization = OrganizationFactory()
    user = UserFactory(role=role, organization=organization)
    give_area(user, area)
    if relation == "pilot":
        action.pilots.add(user)
    elif relation == "operator member":
        action.operator_rows.create(organization=organization)
    return user


def fresh(action):
    return Action.objects.prefetch_related("pilots", "operator_rows").get(pk=action.pk)


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", ROLES)
def test_finances_role_by_relation(role, relation):
    department = DepartmentFactory()
    action = ActionFactory(department=department)
    user = related_user(role, relation, action, area=department)
    expected = relation != "none" or FINANCES_IN_AREA[role]
    assert perms.can_access_finances(user, fresh(action)) is expected
    in_filter = Action.objects.filter(perms.finances_q(user), pk=action.pk).exists()
    assert in_filter is expected


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", ROLES)
def test_finances_of_another_department(role, relation):
    action = ActionFactory(department=DepartmentFactory())
    user = related_user(role, relation, action, area=DepartmentFactory())
    expected = relation != "none" or FINANCES_ELSEWHERE[role]
    assert perms.can_access_finances(user, fresh(action)) is expected


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", ROLES)
def test_update_role_by_relation(role, relation):
    department = DepartmentFactory()
    action = ActionFactory(department=department)
    user = related_user(role, relation, action, area=department)
    expected = relation != "none" or UPDATE_IN_AREA[role]
    assert perms.can_update(user, fresh(action)) is expected


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_and_lists_the_actions_of_its_department(role):
    department = DepartmentFactory()
    action = ActionFactory(department=department)
    user = related_user(role, "none", action, area=department)
    assert perms.can_read(user, fresh(action))
    assert list(Action.objects.visible_to(user)) == [action]


def test_local_roles_do_not_list_other_departments_but_pilots_do():
    action = ActionFactory(department=DepartmentFactory())
    outsider = related_user(Role.INTERVENANT, "none", action, area=DepartmentFactory())
    pilot = related_user(Role.INTERVENANT, "pilot", action, area=DepartmentFactory())
    assert not perms.can_read(outsider, fresh(action))
    assert list(Action.objects.visible_to(outsider)) == []
    assert perms.can_read(pilot, fresh(action))
    assert list(Action.objects.visible_to(pilot)) == [action]


def test_inactive_pilots_lose_everything():
    department = DepartmentFactory()
    action = ActionFactory(department=department)
    pilot = related_user(Role.INTERVENANT, "pilot", action, area=DepartmentFactory())
    pilot.status = UserStatus.INACTIVE
    pilot.is_active = False
    pilot.save()
    assert not perms.can_access_finances(pilot, fresh(action))
    assert not perms.can_update(pilot, fresh(action))
    assert list(Action.objects.visible_to(pilot)) == []


def test_create_needs_the_matrix_on_the_department():
    department = DepartmentFactory()
    operator = UserFactory(role=Role.OPERATEUR)
    give_area(operator, department)
    observer = UserFactory(role=Role.OBSERVATEUR_EXTERNE)
    give_area(observer, department)
    assert perms.can_create(operator, department)
    assert not perms.can_create(operator, DepartmentFactory())
    assert list(perms.creatable_departments(operator)) == [department]
    assert not perms.can_create(observer)
    assert list(perms.creatable_departments(observer)) == []


def test_finance_readers_lists_exactly_who_may_read():
    department = DepartmentFactory()
    action = ActionFactory(department=department)
    pilot = action.pilots.get()
    allowed = related_user(Role.CORRESPONDANT, "none", action, area=department)
    member = related_user(Role.INTERVENANT, "operator member", action, area=department)
    denied = related_user(Role.INTERVENANT, "none", action, area=department)
    elsewhere = related_user(Role.LOCAL_ADMIN, "none", action, area=DepartmentFactory())
    readers = perms.finance_readers(fresh(action))
    assert {pilot, allowed, member} <= set(readers)
    assert denied not in readers
    assert elsewhere not in readers
