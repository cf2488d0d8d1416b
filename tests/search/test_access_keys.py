"""Access keys equal the permission rules: `keys(site) ∩ keys(reader)` ⇔ `can(SITE_READ)`."""

import pytest

from directory import perms
from directory.enums import Role, UserStatus
from directory.models import PermissionException
from directory.permission_matrix import ROLE_ORDER, Feature, Scope
from search import access
from tests.directory.factories import OrganizationFactory, UserFactory, give_area
from tests.search.factories import Territories

pytestmark = pytest.mark.django_db

AREAS = ["none", "nation", "region", "department", "epci", "commune", "other_department"]


@pytest.fixture
def territories():
    return Territories()


class _Site:
    """A site is located through its commune (`perms.locate`), like `SitePage`."""

    def __init__(self, commune):
        self.commune = commune


def _area(territories, name):
    return {
        "nation": None,
        "region": territories.r1,
        "department": territories.d1,
        "epci": territories.epci,
        "commune": territories.c1,
        "other_department": territories.d3,
    }[name]


def _assert_equivalent(user, territories):
    reader = access.reader_keys(user)
    for commune in territories.communes:
        site = _Site(commune)
        expected = perms.can(user, Feature.SITE_READ, site)
        assert bool(set(access.site_keys(site)) & reader) is expected, (
            user.role,
            commune.name,
            sorted(reader),
        )


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("role", ROLE_ORDER)
def test_site_keys_match_can_read(territories, role, area):
    user = UserFactory(role=role)
    if area != "none":
        give_area(user, _area(territories, area))
    _assert_equivalent(user, territories)


@pytest.mark.parametrize("area", ["department", "commune", "epci"])
@pytest.mark.parametrize(
    "exception", [Scope.NONE, Scope.LOCAL, Scope.NATIONAL], ids=lambda scope: str(scope)
)
@pytest.mark.parametrize("owner", ["user", "organization"])
def test_site_keys_follow_permission_exceptions(territories, area, exception, owner):
    organization = OrganizationFactory()
    user = UserFactory(role=Role.OPERATEUR, organization=organization)
    give_area(user, _area(territories, area))
    target = {"user": user} if owner == "user" else {"organization": organization}
    PermissionException.objects.create(feature=Feature.SITE_READ, scope=exception, **target)
    _assert_equivalent(user, territories)


def test_organisation_areas_apply_when_the_user_has_none(territories):
    organization = OrganizationFactory()
    give_area(organization, territories.d3)
    user = UserFactory(role=Role.INTERVENANT, organization=organization)
    _assert_equivalent(user, territories)
    assert "site:dept:13" in access.reader_keys(user)


@pytest.mark.parametrize(
    "attributes",
    [
        {"status": UserStatus.INACTIVE},
        {"status": UserStatus.NEW},
        {"is_active": False},
    ],
)
def test_inactive_accounts_hold_no_key(territories, attributes):
    user = UserFactory(role=Role.NATIONAL_ADMIN, **attributes)
    give_area(user, None)
    assert access.reader_keys(user) == set()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.INTERVENANT, {access.PUBLIC, access.DIRECTORY, access.FORUM_MEMBER}),
        (Role.OBSERVATEUR_EXTERNE, {access.PUBLIC, access.DIRECTORY, access.FORUM_MEMBER}),
        (
            Role.LOCAL_ADMIN,
            {access.PUBLIC, access.DIRECTORY, access.FORUM_MEMBER, access.FORUM_MODERATOR},
        ),
    ],
)
def test_non_territorial_keys(role, expected):
    user = UserFactory(role=role)
    keys = {
        key
        for key in access.reader_keys(user)
        if not key.startswith(("site:", "journal|", "action:"))
    }
    assert keys == expected


def test_site_keys_name_every_covering_area(territories):
    assert access.site_keys(_Site(territories.c1)) == [
        "site:national",
        "site:region:84",
        "site:dept:69",
        "site:epci:200046977",
        "site:commune:69266",
    ]
    assert access.site_keys(_Site(territories.c2)) == [
        "site:national",
        "site:region:84",
        "site:dept:69",
        "site:commune:69123",
    ]
