"""Organisation administration from the directory: who may manage which organisation, the
checks of the form, the audit log, deactivation and its consequences."""

import pytest
from django.urls import reverse
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from directory import perms
from directory.enums import OrganizationCategory, Role, TerritoryLevel, UserStatus
from directory.forms_access import AccessRequestForm
from directory.models import InterventionArea, Organization, OrganizationType
from directory.services import organizations as services
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
def world():
    """Region r1 holds departments d1 and d1b (and commune c1 in d1); d2 lies elsewhere."""
    r1 = RegionFactory(code="76", name="Occitanie")
    d1 = DepartmentFactory(code="34", name="Hérault", region=r1)
    d1b = DepartmentFactory(code="30", name="Gard", region=r1)
    d2 = DepartmentFactory(code="29", name="Finistère", region=RegionFactory(code="53"))
    c1 = CommuneFactory(code="34172", name="Montpellier", department=d1)
    w = {"r1": r1, "d1": d1, "d1b": d1b, "d2": d2, "c1": c1}

    def person(key, role, territory, **kwargs):
        user = UserFactory(role=role, last_name=key, **kwargs)
        if territory is not False:
            give_area(user, territory)
        w[key] = user

    person("national_admin", Role.NATIONAL_ADMIN, None)
    person("local_admin_in", Role.LOCAL_ADMIN, d1)
    person("local_admin_region", Role.LOCAL_ADMIN, r1)
    person("local_admin_out", Role.LOCAL_ADMIN, d2)
    person("correspondant", Role.CORRESPONDANT, d1)
    person("acteur_national", Role.ACTEUR_NATIONAL, None)
    person("intervenant", Role.INTERVENANT, d1)
    person("superuser", Role.INTERVENANT, False, is_superuser=True)
    person(
        "former_national_admin",
        Role.NATIONAL_ADMIN,
        None,
        is_active=False,
        status=UserStatus.INACTIVE,
    )

    def organization(key, *territories, **kwargs):
        org = OrganizationFactory(name=f"Organisation {key}", **kwargs)
        for index, territory in enumerate(territories):
            give_area(org, territory, is_main=index == 0)
        w[key] = org

    organization("org_in", d1)
    organization("org_commune", c1)
    organization("org_out", d2)
    organization("org_span", d1, d2)
    organization("org_national", None)
    organization("org_none")
    return w


ORGANIZATIONS = ["org_in", "org_commune", "org_out", "org_span", "org_national", "org_none"]
ALLOWED = {
    "national_admin": set(ORGANIZATIONS),
    "superuser": set(ORGANIZATIONS),
    "local_admin_in": {"org_in", "org_commune"},
    "local_admin_region": {"org_in", "org_commune"},
    "local_admin_out": {"org_out"},
    "correspondant": set(),
    "acteur_national": set(),
    "intervenant": set(),
    "former_national_admin": set(),
}


def entries(organization, action=None):
    queryset = ModelLogEntry.objects.for_instance(organization)
    if action:
        queryset = queryset.filter(action=action)
    return list(queryset)


def association():
    return OrganizationType.objects.get(name="Association")


def payload(**overrides):
    data = {
        "name": "Les Amis du Quartier",
        "abbreviation": "ADQ",
        "category": OrganizationCategory.ASSOCIATION,
        "type": association().pk,
        "state_funded_year": "",
        "main_area": "department:34",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- Permission table ---------------------------------------------------------------------------


def test_can_manage_organization_table(world):
    """Every cell of the table role × organisation (inside / outside the territory)."""
    table = {
        actor: {
            organization
            for organization in ORGANIZATIONS
            if perms.can_manage_organization(world[actor], world[organization])
        }
        for actor in ALLOWED
    }
    assert table == ALLOWED


@pytest.mark.parametrize("actor", [actor for actor in ALLOWED if actor != "former_national_admin"])
def test_edit_page_follows_the_table(client, world, actor):
    client.force_login(world[actor])
    for organization in ORGANIZATIONS:
        org = world[organization]
        edit_url = reverse("directory_organization_edit", args=[org.pk])
        response = client.get(edit_url)
        detail = client.get(reverse("directory_organization", args=[org.pk])).content.decode()
        if organization in ALLOWED[actor]:
            assert response.status_code == 200, organization
            assert edit_url in detail
            assert "organization-history-title" in detail
        else:
            assert response.status_code == 403, organization
            assert edit_url not in detail
            assert "modal-deactivate-organization" not in detail


@pytest.mark.parametrize("actor", [actor for actor in ALLOWED if actor != "former_national_admin"])
def test_deactivation_follows_the_table(client, world, actor):
    org = world["org_in"]
    client.force_login(world[actor])
    response = client.post(
        reverse("directory_organization_deactivate", args=[org.pk]),
        {"deactivate-reason": "Structure dissoute"},
    )
    org.refresh_from_db()
    if "org_in" in ALLOWED[actor]:
        assert response.status_code == 302
        assert org.is_active is False
    else:
        assert response.status_code == 403
        assert org.is_active is True
        assert entries(org) == []


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        ("national_admin", True),
        ("local_admin_in", True),
        ("correspondant", False),
        ("intervenant", False),
    ],
)
def test_who_may_create(client, world, actor, allowed):
    client.force_login(world[actor])
    response = client.get(reverse("directory_organization_create"))
    index = client.get(reverse("directory_index")).content.decode()
    assert response.status_code == (200 if allowed else 403)
    assert (reverse("directory_organization_create") in index) is allowed


def test_unknown_organization_is_404(client, world):
    client.force_login(world["national_admin"])
    assert client.get(reverse("directory_organization_edit", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("directory_organization_create"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- Creation, areas and their limits -----------------------------------------------------------


def test_local_admin_creates_an_organization_with_areas_and_an_audit_entry(client, world):
    admin = world["local_admin_in"]
    client.force_login(admin)
    response = client.post(
        reverse("directory_organization_create"),
        payload(is_state_funded="on", state_funded_year="2023", other_area_1="commune:34172"),
    )
    organization = Organization.objects.get(name="Les Amis du Quartier")
    assert response.status_code == 302
    assert response.url == reverse("directory_organization", args=[organization.pk])
    assert organization.is_active and organization.is_state_funded
    assert organization.state_funded_year == 2023
    areas = {
        (area.level, area.is_main, area.department_id, area.commune_id)
        for area in InterventionArea.objects.filter(organization=organization)
    }
    assert areas == {
        (TerritoryLevel.DEPARTMENT, True, "34", None),
        (TerritoryLevel.COMMUNE, False, None, "34172"),
    }
    (entry,) = entries(organization, services.ACTION_CREATE)
    assert entry.user == admin
    assert entry.timestamp is not None
    assert entry.data["fields"]["name"] == "Les Amis du Quartier"
    assert [area["code"] for area in entry.data["areas"]] == ["34", "34172"]
    assert perms.can_manage_organization(admin, organization)


@pytest.mark.parametrize(
    ("actor", "overrides", "field", "code"),
    [
        ("local_admin_in", {"main_area": "department:29"}, "main_area", None),
        ("local_admin_in", {"other_area_1": "department:29"}, "other_area_1", None),
        ("local_admin_in", {"main_area": "", "national": "on"}, "national", None),
        ("local_admin_in", {"main_area": "region:76"}, "main_area", None),
        ("local_admin_region", {"main_area": "department:29"}, "main_area", None),
        ("national_admin", {"main_area": ""}, "main_area", None),
        ("national_admin", {"national": "on"}, "main_area", None),
    ],
)
def test_areas_outside_the_territory_or_missing_are_refused(
    client, world, actor, overrides, field, code
):
    client.force_login(world[actor])
    response = client.post(reverse("directory_organization_create"), payload(**overrides))
    assert response.status_code == 400
    assert response.context["form"].has_error(field)
    assert not Organization.objects.filter(name="Les Amis du Quartier").exists()


def test_national_admin_creates_a_national_organization(client, world):
    client.force_login(world["national_admin"])
    response = client.post(
        reverse("directory_organization_create"), payload(main_area="", national="on")
    )
    assert response.status_code == 302
    organization = Organization.objects.get(name="Les Amis du Quartier")
    (area,) = organization.intervention_areas.all()
    assert area.level == TerritoryLevel.NATION and area.is_main


def test_local_admin_cannot_move_an_organization_out_of_their_territory(client, world):
    organization = world["org_in"]
    client.force_login(world["local_admin_in"])
    response = client.post(
        reverse("directory_organization_edit", args=[organization.pk]),
        payload(name=organization.name, main_area="department:34", other_area_1="department:29"),
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("other_area_1")
    assert list(organization.intervention_areas.values_list("department_id", flat=True)) == ["34"]
    assert entries(organization) == []


# --- Duplicate names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "main_area", "refused"),
    [
        ("Organisation org_in", "department:34", True),
        ("ORGANISATION   ORG-IN", "department:34", True),  # case, spaces, punctuation
        ("Organisation org_in", "commune:34172", True),  # a commune of the same department
        ("Organisation org_in", "region:76", True),  # the region holds the department
        ("Organisation org_in", "department:30", False),  # another department
        ("Organisation org_in", "department:29", False),
        ("Organisation org_in bis", "department:34", False),
        ("Organisation org_national", "department:34", False),
    ],
)
def test_duplicate_names_in_the_same_department_are_refused(
    client, world, name, main_area, refused
):
    client.force_login(world["national_admin"])
    before = Organization.objects.count()
    response = client.post(
        reverse("directory_organization_create"), payload(name=name, main_area=main_area)
    )
    if refused:
        assert response.status_code == 400
        form = response.context["form"]
        assert form.has_error("name", "duplicate")
        assert "Hérault (34)" in form.errors["name"][0]
        assert Organization.objects.count() == before
    else:
        assert response.status_code == 302
        assert Organization.objects.count() == before + 1


def test_two_national_organizations_cannot_share_a_name(client, world):
    client.force_login(world["national_admin"])
    response = client.post(
        reverse("directory_organization_create"),
        payload(name="Organisation org_national", main_area="", national="on"),
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("name", "duplicate")


def test_an_organization_keeps_its_own_name_when_edited(client, world):
    organization = world["org_in"]
    client.force_login(world["national_admin"])
    response = client.post(
        reverse("directory_organization_edit", args=[organization.pk]),
        payload(name=organization.name, abbreviation="OI"),
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.abbreviation == "OI"


# --- Editing and the audit log ------------------------------------------------------------------


def test_editing_records_who_changed_what(client, world):
    organization = world["org_commune"]
    admin = world["local_admin_region"]
    client.force_login(admin)
    response = client.post(
        reverse("directory_organization_edit", args=[organization.pk]),
        payload(
            name="Organisation renommée",
            category=OrganizationCategory.ASSOCIATION,
            main_area="department:30",
            other_area_1="commune:34172",
        ),
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name == "Organisation renommée"
    (entry,) = entries(organization, services.ACTION_UPDATE)
    assert entry.user == admin
    assert entry.data["changes"]["name"] == ["Organisation org_commune", "Organisation renommée"]
    assert entry.data["areas"]["previous"][0]["code"] == "34172"
    assert [area["code"] for area in entry.data["areas"]["new"]] == ["30", "34172"]
    main = organization.intervention_areas.get(is_main=True)
    assert main.department_id == "30"
    # The organisation page lists the entry for those who manage it.
    page = client.get(reverse("directory_organization", args=[organization.pk])).content.decode()
    assert "organization-history" in page
    assert str(log_registry.get_formatter(entry).format_message(entry)) in page


def test_saving_without_change_writes_nothing(client, world):
    organization = world["org_in"]
    client.force_login(world["national_admin"])
    response = client.post(
        reverse("directory_organization_edit", args=[organization.pk]),
        payload(name=organization.name, abbreviation="", main_area="department:34"),
    )
    assert response.status_code == 302
    assert entries(organization) == []


def test_every_action_has_a_label():
    for action in services.ACTIONS:
        assert log_registry.get_action_label(action) != action


def test_year_is_dropped_when_the_funding_is(world):
    admin = world["national_admin"]
    organization = world["org_in"]
    organization.is_state_funded, organization.state_funded_year = True, 2020
    organization.save()
    data = {
        "name": organization.name,
        "abbreviation": "",
        "category": organization.category,
        "type": organization.type,
        "is_state_funded": False,
        "state_funded_year": 2020,
    }
    assert services.update_organization(
        organization=organization, by=admin, data=data, territories=[world["d1"]]
    )
    organization.refresh_from_db()
    assert organization.state_funded_year is None


# --- Deactivation -------------------------------------------------------------------------------


def test_deactivation_asks_for_confirmation_and_explains(client, world):
    organization = world["org_in"]
    UserFactory(organization=organization)
    client.force_login(world["local_admin_in"])
    url = reverse("directory_organization_deactivate", args=[organization.pk])
    page = client.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "1 member keeps their account" in content or "1 membre" in content
    detail = client.get(reverse("directory_organization", args=[organization.pk])).content
    assert b'aria-controls="modal-deactivate-organization"' in detail
    # Without a reason: asked again, nothing changes.
    response = client.post(url, {"deactivate-reason": "   "})
    assert response.status_code == 400
    organization.refresh_from_db()
    assert organization.is_active


def test_deactivated_organization_keeps_members_and_leaves_access_requests(client, world):
    organization = world["org_in"]
    member = UserFactory(organization=organization)
    admin = world["national_admin"]
    client.force_login(admin)
    response = client.post(
        reverse("directory_organization_deactivate", args=[organization.pk]),
        {"deactivate-reason": "Structure dissoute"},
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    member.refresh_from_db()
    assert organization.is_active is False
    assert member.organization == organization and member.is_active
    assert organization not in AccessRequestForm().fields["organization"].queryset
    (entry,) = entries(organization, services.ACTION_DEACTIVATE)
    assert entry.user == admin
    assert entry.data == {"reason": "Structure dissoute", "active_members": 1}
    # Hidden from people who are not administrators.
    client.force_login(world["intervenant"])
    assert client.get(reverse("directory_organization", args=[organization.pk])).status_code == 404
    # Deactivating twice is refused, not an error.
    client.force_login(admin)
    again = client.post(
        reverse("directory_organization_deactivate", args=[organization.pk]),
        {"deactivate-reason": "Encore"},
    )
    assert again.status_code == 400
    # Reactivation brings it back.
    response = client.post(
        reverse("directory_organization_reactivate", args=[organization.pk]),
        {"reactivate-reason": ""},
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.is_active
    assert len(entries(organization, services.ACTION_REACTIVATE)) == 1
    assert organization in AccessRequestForm().fields["organization"].queryset


def test_reactivating_an_active_organization_is_refused(client, world):
    client.force_login(world["national_admin"])
    response = client.post(
        reverse("directory_organization_reactivate", args=[world["org_in"].pk]), {}
    )
    assert response.status_code == 400
    assert entries(world["org_in"]) == []


# --- Bad input never gives a 500 ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 300}, "name"),
        ({"abbreviation": "y" * 60}, "abbreviation"),
        ({"category": "zzz"}, "category"),
        ({"type": "abc"}, "type"),
        ({"type": "999999"}, "type"),
        ({"category": OrganizationCategory.ADMINISTRATION}, "type"),  # type of another category
        ({"state_funded_year": "abc", "is_state_funded": "on"}, "state_funded_year"),
        ({"state_funded_year": "1800", "is_state_funded": "on"}, "state_funded_year"),
        ({"state_funded_year": "2020"}, "state_funded_year"),  # a year without the funding
        ({"main_area": "region:ZZ"}, "main_area"),
        ({"main_area": "planet:3"}, "main_area"),
        ({"main_area": "Nulle-Part-Sur-Mer"}, "main_area"),
        ({"other_area_7": "department:zz"}, "other_area_7"),
        ({"other_area_abc": "x"}, None),
    ],
)
def test_bad_input_is_explained(client, world, overrides, field):
    client.force_login(world["national_admin"])
    response = client.post(reverse("directory_organization_create"), payload(**overrides))
    if field is None:
        assert response.status_code == 302  # unknown keys are ignored
        return
    assert response.status_code == 400
    assert response.context["form"].has_error(field)


def test_empty_posts_do_not_fail(client, world):
    organization = world["org_in"]
    client.force_login(world["national_admin"])
    for url in [
        reverse("directory_organization_create"),
        reverse("directory_organization_edit", args=[organization.pk]),
        reverse("directory_organization_deactivate", args=[organization.pk]),
        reverse("directory_organization_reactivate", args=[organization.pk]),
    ]:
        assert client.post(url, {}).status_code == 400, url
    assert (
        client.get(reverse("directory_organization_reactivate", args=[organization.pk])).status_code
        == 405
    )


def test_other_area_fields_are_capped(client, world):
    client.force_login(world["national_admin"])
    data = payload(**{"other_area_500": "department:30"})
    response = client.post(reverse("directory_organization_create"), data)
    assert response.status_code == 302
    organization = Organization.objects.get(name="Les Amis du Quartier")
    assert organization.intervention_areas.count() == 1


def test_edit_form_shows_the_current_areas(client, world):
    organization = world["org_span"]
    client.force_login(world["national_admin"])
    content = client.get(
        reverse("directory_organization_edit", args=[organization.pk])
    ).content.decode()
    assert 'value="department:34"' in content
    assert 'value="department:29"' in content
    assert 'name="other_area_3"' in content  # one existing secondary area + two empty ones
    assert 'name="other_area_4"' not in content


# --- Query counts stay flat ---------------------------------------------------------------------


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("url_name", ["directory_organization", "directory_organization_edit"])
def test_query_counts_do_not_grow_with_areas_and_members(client, world, url_name):
    small, large = world["org_in"], world["org_span"]
    for _ in range(5):
        give_area(large, CommuneFactory(department=world["d1"]), is_main=False)
        UserFactory(organization=large)
    UserFactory(organization=small)
    client.force_login(world["national_admin"])
    client.get(reverse(url_name, args=[small.pk]))  # warm the caches (charter version…)
    counts = [_count_queries(client, reverse(url_name, args=[org.pk])) for org in (small, large)]
    assert counts[0] == counts[1], counts
