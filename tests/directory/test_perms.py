"""The permission rules, tested as tables: role × feature × inside/outside the territory."""

import pytest
from django.db.models import Q

from directory import perms
from directory.enums import Role, TerritoryLevel, UserOption, UserStatus
from directory.models import AccessRequest, PermissionException
from directory.permission_matrix import ROLE_DEFAULTS, Feature, Scope
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    EpciFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
    give_area,
)

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

# The expected table, written out independently of directory/permission_matrix.py.
# One letter per role, in the order of ROLES: N national, L local, - denied.
EXPECTED = {
    Feature.SITE_LIST: "NLNNLLLL",
    Feature.SITE_READ: "NLNNLLLL",
    Feature.SITE_CREATE: "NLL-----",
    Feature.SITE_UPDATE: "NLL-LL--",
    Feature.SITE_CLOSE: "NLL-----",
    Feature.SITE_EXPORT: "NLNNLL--",
    Feature.SITE_DELETE: "NL------",
    Feature.SITE_OWNERS: "NLNNL---",
    Feature.SITE_JUSTICE: "NLNN----",
    Feature.JOURNAL_LIST: "NLNNLLLL",
    Feature.JOURNAL_LIST_PRIVATE: "NLL-----",
    Feature.JOURNAL_CREATE: "NLLNLLL-",
    Feature.JOURNAL_CREATE_PRIVATE: "NLL-LL--",
    Feature.JOURNAL_MODERATE: "NL------",
    Feature.JOURNAL_EXPORT: "NLL-----",
    Feature.ACTION_LIST: "NLNNLLLL",
    Feature.ACTION_READ: "NLNNLLLL",
    Feature.ACTION_CREATE: "NLL-LL--",
    Feature.ACTION_UPDATE: "NLL-LL--",
    Feature.ACTION_EXPORT: "NLLNL---",
    Feature.ACTION_FINANCES: "NLLN-L--",
    Feature.USER_LIST: "NNNNNNNN",
    Feature.USER_READ: "NNNNNNNN",
    Feature.USER_CREATE: "NL------",
    Feature.USER_ACTIVATE: "NL------",
    Feature.USER_DEACTIVATE: "NL------",
    Feature.USER_EXPORT: "NL------",
    Feature.STATS_READ: "NLNNLLLL",
}


@pytest.fixture
def territory():
    """Two regions; the tested users act in department D1 of region R1."""
    r1, r2 = RegionFactory(code="R1"), RegionFactory(code="R2")
    d1 = DepartmentFactory(code="D1", region=r1)
    d2 = DepartmentFactory(code="D2", region=r1)
    d3 = DepartmentFactory(code="D3", region=r2)
    e1 = EpciFactory(code="E1")
    return {
        "regions": (r1, r2),
        "departments": (d1, d2, d3),
        "epci": e1,
        "inside": CommuneFactory(code="C1", department=d1, epci=e1),
        "inside_other_epci": CommuneFactory(code="C2", department=d1),
        "same_region": CommuneFactory(code="C3", department=d2),
        "outside": CommuneFactory(code="C4", department=d3),
    }


def member(role, area):
    user = UserFactory(role=role)
    give_area(user, area)
    return user


def test_the_expected_table_covers_every_feature():
    assert set(EXPECTED) == set(Feature)
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())


@pytest.mark.parametrize("role", ROLES, ids=[str(r) for r in ROLES])
def test_role_table_inside_and_outside_the_territory(role, territory):
    d1 = territory["departments"][0]
    user = member(role, None if role == Role.NATIONAL_ADMIN else d1)
    column = ROLES.index(role)
    mismatches = []
    for feature, row in EXPECTED.items():
        expected_inside = row[column] in "NL"
        expected_outside = row[column] == "N"
        inside = perms.can(user, feature, territory["inside"])
        outside = perms.can(user, feature, territory["outside"])
        if (inside, outside) != (expected_inside, expected_outside):
            mismatches.append(
                (feature.value, (inside, outside), (expected_inside, expected_outside))
            )
        # The matrix module says the same as the table.
        assert ROLE_DEFAULTS[role][feature] == {"N": Scope.NATIONAL, "L": Scope.LOCAL}.get(
            row[column], Scope.NONE
        )
    assert mismatches == []


def test_read_access_on_a_commune_widens_to_its_department_but_write_does_not(territory):
    user = member(Role.PARTENAIRE_INSTITUTIONNEL, territory["inside"])
    neighbour = territory["inside_other_epci"]
    assert perms.can(user, Feature.SITE_READ, neighbour)
    assert perms.can(user, Feature.SITE_UPDATE, territory["inside"])
    assert not perms.can(user, Feature.SITE_UPDATE, neighbour)
    assert not perms.can(user, Feature.SITE_READ, territory["same_region"])


def test_epci_area_reads_its_departments_and_writes_its_communes(territory):
    user = member(Role.OPERATEUR, territory["epci"])
    assert perms.can(user, Feature.SITE_UPDATE, territory["inside"])
    assert not perms.can(user, Feature.SITE_UPDATE, territory["inside_other_epci"])
    assert perms.can(user, Feature.SITE_READ, territory["inside_other_epci"])
    assert not perms.can(user, Feature.SITE_READ, territory["outside"])


def test_region_area_covers_its_departments_only(territory):
    user = member(Role.CORRESPONDANT, territory["regions"][0])
    assert perms.can(user, Feature.SITE_UPDATE, territory["same_region"])
    assert perms.can(user, Feature.SITE_UPDATE, territory["departments"][1])
    assert not perms.can(user, Feature.SITE_UPDATE, territory["outside"])


def test_a_department_area_does_not_cover_its_region(territory):
    user = member(Role.LOCAL_ADMIN, territory["departments"][0])
    assert perms.can(user, Feature.USER_CREATE, territory["departments"][0])
    assert not perms.can(user, Feature.USER_CREATE, territory["regions"][0])
    assert not perms.can(user, Feature.USER_CREATE, perms.NATION)


def test_users_without_areas_use_their_organisation_areas(territory):
    organization = OrganizationFactory()
    give_area(organization, territory["departments"][0])
    user = UserFactory(role=Role.OPERATEUR, organization=organization)
    assert perms.can(user, Feature.SITE_UPDATE, territory["inside"])
    assert not perms.can(user, Feature.SITE_UPDATE, territory["outside"])
    # Own areas replace the organisation's.
    give_area(user, territory["departments"][2])
    user = type(user).objects.get(pk=user.pk)
    assert not perms.can(user, Feature.SITE_UPDATE, territory["inside"])
    assert perms.can(user, Feature.SITE_UPDATE, territory["outside"])


def test_resolution_order_user_exception_option_organisation_role(territory):
    organization = OrganizationFactory()
    user = UserFactory(role=Role.PARTENAIRE_INSTITUTIONNEL, organization=organization)
    give_area(user, territory["departments"][0])
    inside = territory["inside"]

    def fresh():
        return type(user).objects.get(pk=user.pk)

    assert not perms.can(fresh(), Feature.SITE_JUSTICE, inside)  # role default
    PermissionException.objects.create(
        organization=organization, feature=Feature.SITE_JUSTICE, scope="national"
    )
    assert perms.can(fresh(), Feature.SITE_JUSTICE, territory["outside"])  # organisation
    PermissionException.objects.filter(organization=organization).update(scope="none")
    assert not perms.can(fresh(), Feature.SITE_JUSTICE, inside)
    user.options = [UserOption.JUSTICE_ACCESS]
    user.save()
    assert perms.can(fresh(), Feature.SITE_JUSTICE, inside)  # option beats organisation
    assert not perms.can(fresh(), Feature.SITE_JUSTICE, territory["outside"])
    PermissionException.objects.create(user=user, feature=Feature.SITE_JUSTICE, scope="none")
    assert not perms.can(fresh(), Feature.SITE_JUSTICE, inside)  # user exception beats all


@pytest.mark.parametrize(
    ("option", "feature"),
    [
        (UserOption.CLOSE_SITE, Feature.SITE_CLOSE),
        (UserOption.CREATE_SITE, Feature.SITE_CREATE),
        (UserOption.JUSTICE_ACCESS, Feature.SITE_JUSTICE),
    ],
)
def test_options_grant_locally(option, feature, territory):
    user = member(Role.OPERATEUR, territory["departments"][0])
    assert not perms.can(user, feature, territory["inside"])
    user.options = [option]
    user.save()
    user = type(user).objects.get(pk=user.pk)
    assert perms.can(user, feature, territory["inside"])
    assert not perms.can(user, feature, territory["outside"])


@pytest.mark.parametrize(
    "changes",
    [{"is_active": False}, {"status": UserStatus.NEW}, {"status": UserStatus.INACTIVE}],
)
def test_inactive_or_new_accounts_can_do_nothing(changes, territory):
    user = UserFactory(role=Role.NATIONAL_ADMIN, **changes)
    give_area(user, None)
    assert not any(perms.can(user, feature) for feature in Feature)


def test_anonymous_visitors_can_do_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert not any(perms.can(AnonymousUser(), feature) for feature in Feature)


def test_superusers_can_do_everything_everywhere(territory):
    user = UserFactory(is_superuser=True, role=Role.OBSERVATEUR_EXTERNE)
    assert all(perms.can(user, feature, territory["outside"]) for feature in Feature)


def test_scope_q_filters_querysets_like_can(territory):
    user = member(Role.OPERATEUR, territory["inside"])
    requests = {}
    for key in ("inside", "inside_other_epci", "same_region", "outside"):
        requests[key] = AccessRequest.objects.create(
            first_name="A",
            last_name="B",
            email=f"{key}@exemple.test",
            position="x",
            reason="y",
            territory_level=TerritoryLevel.COMMUNE,
            commune=territory[key],
        )
    for feature in (Feature.SITE_READ, Feature.SITE_UPDATE, Feature.SITE_DELETE):
        visible = set(
            AccessRequest.objects.filter(perms.scope_q(user, feature, "commune")).values_list(
                "email", flat=True
            )
        )
        expected = {
            f"{key}@exemple.test"
            for key, request in requests.items()
            if perms.can(user, feature, request.commune)
        }
        assert visible == expected, feature
    national = member(Role.CORRESPONDANT, territory["inside"])
    assert perms.scope_q(national, Feature.SITE_READ) == Q()


def test_local_admins_manage_users_of_their_territory_only(territory):
    d1, _, d3 = territory["departments"]
    admin = member(Role.LOCAL_ADMIN, d1)
    inside = member(Role.INTERVENANT, territory["inside"])
    outside = member(Role.INTERVENANT, d3)
    national_admin = member(Role.NATIONAL_ADMIN, None)
    assert perms.can_manage_user(admin, inside)
    assert not perms.can_manage_user(admin, outside)
    assert not perms.can_manage_user(admin, admin)
    assert not perms.can_manage_user(admin, national_admin)
    assert perms.can_manage_user(national_admin, outside)
    assert perms.can_read_admin_comments(admin, inside)
    assert not perms.can_read_admin_comments(inside, admin)
    assert Role.NATIONAL_ADMIN not in perms.grantable_roles(admin)
    assert Role.NATIONAL_ADMIN in perms.grantable_roles(national_admin)
    assert perms.grantable_roles(inside) == []


def test_access_requests_go_to_local_admins_else_national_admins(territory):
    d1, d2, _ = territory["departments"]
    local = member(Role.LOCAL_ADMIN, d1)
    member(Role.LOCAL_ADMIN, d2)  # another department: not concerned
    national = member(Role.NATIONAL_ADMIN, None)

    def request_for(level, **where):
        return AccessRequest(territory_level=level, **where)

    commune_request = request_for(TerritoryLevel.COMMUNE, commune=territory["inside"])
    assert perms.access_request_deciders(commune_request) == [local]
    assert perms.can_decide_access_request(local, commune_request)
    assert perms.can_decide_access_request(national, commune_request)
    outside_request = request_for(TerritoryLevel.COMMUNE, commune=territory["outside"])
    assert perms.access_request_deciders(outside_request) == [national]
    assert not perms.can_decide_access_request(local, outside_request)
    regional = request_for(TerritoryLevel.REGION, region=territory["regions"][0])
    assert perms.access_request_deciders(regional) == [national]
    national_request = request_for(TerritoryLevel.NATION)
    assert perms.access_request_deciders(national_request) == [national]


def test_permission_checks_are_cached_for_the_request(territory, django_assert_max_num_queries):
    user = member(Role.OPERATEUR, territory["departments"][0])
    user = type(user).objects.get(pk=user.pk)
    with django_assert_max_num_queries(3):
        for _ in range(50):
            perms.can(user, Feature.SITE_UPDATE, territory["inside"])
            perms.can(user, Feature.SITE_READ, territory["outside"])


@pytest.mark.parametrize(
    ("role", "area_key"),
    [
        (Role.LOCAL_ADMIN, "d1"),
        (Role.LOCAL_ADMIN, "r1"),
        (Role.LOCAL_ADMIN, "e1"),
        (Role.LOCAL_ADMIN, "c1"),
        (Role.LOCAL_ADMIN, "d3"),
        (Role.NATIONAL_ADMIN, "nation"),
        (Role.INTERVENANT, "d1"),
    ],
)
def test_access_requests_filter_agrees_with_the_rule_for_every_level(role, area_key, territory):
    r1, r2 = territory["regions"]
    d1, d2, d3 = territory["departments"]
    e1 = territory["epci"]
    spanning = EpciFactory(code="E2")  # communes in D1 and D3
    CommuneFactory(code="C5", department=d1, epci=spanning)
    CommuneFactory(code="C6", department=d3, epci=spanning)
    empty_epci = EpciFactory(code="E3")
    areas = {"d1": d1, "r1": r1, "e1": e1, "c1": territory["inside"], "d3": d3, "nation": None}
    admin = member(role, areas[area_key])
    places = [
        (TerritoryLevel.NATION, {}),
        (TerritoryLevel.REGION, {"region": r1}),
        (TerritoryLevel.REGION, {"region": r2}),
        (TerritoryLevel.DEPARTMENT, {"department": d1}),
        (TerritoryLevel.DEPARTMENT, {"department": d2}),
        (TerritoryLevel.DEPARTMENT, {"department": d3}),
        (TerritoryLevel.EPCI, {"epci": e1}),
        (TerritoryLevel.EPCI, {"epci": spanning}),
        (TerritoryLevel.EPCI, {"epci": empty_epci}),
        *[
            (TerritoryLevel.COMMUNE, {"commune": territory[key]})
            for key in ("inside", "inside_other_epci", "same_region", "outside")
        ],
    ]
    for index, (level, where) in enumerate(places):
        AccessRequest.objects.create(
            first_name="A",
            last_name="B",
            email=f"r{index}@exemple.test",
            position="x",
            reason="y",
            territory_level=level,
            **where,
        )
    expected = {
        request.pk
        for request in AccessRequest.objects.all()
        if perms.can_decide_access_request(admin, request)
    }
    filtered = set(
        AccessRequest.objects.filter(perms.access_requests_q(admin)).values_list("pk", flat=True)
    )
    assert filtered == expected
