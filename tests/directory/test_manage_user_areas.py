"""A local administrator manages an account (role, options, status) only when every intervention
area of that account lies within their own territory: a role change grants its powers on all of
them, not only on the main one."""

import pytest
from django.urls import reverse

from directory import perms
from directory.enums import Role
from directory.models import User
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
    give_area,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    region = RegionFactory(code="84")
    rhone = DepartmentFactory(code="69", region=region)
    return {
        "region": region,
        "rhone": rhone,
        "ain": DepartmentFactory(code="01", region=region),
        "bdr": DepartmentFactory(code="13", region=RegionFactory(code="93")),
        "villeurbanne": CommuneFactory(department=rhone),
    }


def local_admin(territory):
    admin = UserFactory(role=Role.LOCAL_ADMIN)
    give_area(admin, territory)
    return admin


def member(main, *others, organization=None):
    user = UserFactory(role=Role.INTERVENANT, organization=organization)
    if main is not False:
        give_area(user, main)
    for territory in others:
        give_area(user, territory, is_main=False)
    return user


@pytest.mark.parametrize(
    ("areas", "manageable"),
    [
        (("rhone",), True),
        (("villeurbanne",), True),
        (("rhone", "villeurbanne"), True),
        (("rhone", "bdr"), False),  # the escalation: main area here, another one far away
        (("villeurbanne", "ain"), False),
        (("rhone", None), False),  # a national area among the others
        (("bdr",), False),
    ],
)
def test_every_area_of_the_account_must_be_within_the_local_admins_territory(
    places, areas, manageable
):
    admin = local_admin(places["rhone"])
    main, *others = (None if key is None else places[key] for key in areas)
    target = member(main, *others)
    assert perms.can_manage_user(admin, target) is manageable


def test_the_organisations_areas_count_for_an_account_without_its_own(places):
    admin = local_admin(places["rhone"])
    organization = OrganizationFactory()
    give_area(organization, places["rhone"])
    give_area(organization, places["bdr"], is_main=False)
    assert perms.can_manage_user(admin, member(False, organization=organization)) is False


def test_a_regional_local_admin_covers_the_departments_of_the_region(places):
    admin = local_admin(places["region"])
    assert perms.can_manage_user(admin, member(places["rhone"], places["ain"])) is True
    assert perms.can_manage_user(admin, member(places["rhone"], places["bdr"])) is False


def test_national_admins_manage_everybody(places):
    admin = UserFactory(role=Role.NATIONAL_ADMIN)
    give_area(admin)
    assert perms.can_manage_user(admin, member(places["rhone"], places["bdr"], None)) is True


def test_the_escalation_is_refused_by_the_role_form(client, places):
    admin = local_admin(places["rhone"])
    target = member(places["rhone"], places["bdr"])
    client.force_login(admin)
    response = client.post(
        reverse("directory_person_role", args=[target.pk]), {"role-role": Role.LOCAL_ADMIN}
    )
    assert response.status_code == 403
    assert User.objects.get(pk=target.pk).role == Role.INTERVENANT
    page = client.get(reverse("directory_person", args=[target.pk]))
    assert page.status_code == 200
    assert "role_form" not in page.context
