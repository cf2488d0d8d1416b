"""Resorption actions through the API: the list and the detail hold what the screens show to the
same user — actions of their territory or their own, sites they may list, finances only for those
who may read them (absent from the JSON otherwise)."""

from decimal import Decimal

import pytest

from actions.models import ActionFinance, ActionIndicators
from directory.enums import Role
from tests.actions.factories import ActionFactory
from tests.api.support import api_client, member
from tests.directory.factories import CommuneFactory, DepartmentFactory, OrganizationFactory
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rhone():
    return DepartmentFactory(code="69", name="Rhône")


@pytest.fixture
def action(rhone):
    action = ActionFactory(name="Accompagnement Villeurbanne", department=rhone)
    ActionFinance.objects.create(
        action=action, year=2024, finance_type="state", planned_amount=Decimal("12000")
    )
    ActionIndicators.objects.create(action=action, year=2024, people=40, households=10)
    return action


def test_a_field_worker_of_the_department_reads_the_action_without_its_money(rhone, action):
    worker = member(Role.INTERVENANT, rhone)
    client = api_client(worker)
    listed = client.get("/api/v1/actions/").json()["results"]
    assert [row["name"] for row in listed] == ["Accompagnement Villeurbanne"]
    detail = client.get(f"/api/v1/actions/{action.pk}/")
    assert detail.status_code == 200, detail.content
    data = detail.json()
    assert data["indicators"] == [
        {
            "year": 2024,
            "values": {
                **dict.fromkeys(data["indicators"][0]["values"]),
                "people": 40,
                "households": 10,
            },
        }
    ]
    assert "finances" not in data
    assert "12000" not in detail.content.decode()


def test_a_pilot_reads_the_finances(rhone, action):
    pilot = action.pilots.get()
    data = api_client(pilot).get(f"/api/v1/actions/{action.pk}/").json()
    assert [(row["year"], row["type"], row["planned_amount"]) for row in data["finances"]] == [
        (2024, "state", "12000.00")
    ]


def test_another_department_sees_nothing(action):
    outsider = member(Role.INTERVENANT, DepartmentFactory(code="13", name="Bouches-du-Rhône"))
    client = api_client(outsider)
    assert client.get(f"/api/v1/actions/{action.pk}/").status_code in (403, 404)
    listed = client.get("/api/v1/actions/")
    assert listed.status_code in (200, 403)
    if listed.status_code == 200:
        assert listed.json()["results"] == []


def test_an_operator_sees_its_own_action_outside_its_territory(action):
    organization = OrganizationFactory()
    action.operator_rows.update(is_principal=False)
    action.operator_rows.create(organization=organization, is_principal=True)
    employee = member(
        Role.OPERATEUR,
        DepartmentFactory(code="13", name="Bouches-du-Rhône"),
        organization=organization,
    )
    client = api_client(employee)
    assert [row["id"] for row in client.get("/api/v1/actions/").json()["results"]] == [action.pk]
    assert client.get(f"/api/v1/actions/{action.pk}/").status_code == 200


def test_only_the_sites_the_reader_may_list_are_named(rhone, action):
    inside = SitePageFactory(commune=CommuneFactory(department=rhone), name="Terrain du Rhône")
    elsewhere = SitePageFactory(
        commune=CommuneFactory(department=DepartmentFactory(code="13", name="Bouches-du-Rhône")),
        name="Terrain de Marseille",
    )
    action.sites.set([inside, elsewhere])
    worker = member(Role.INTERVENANT, rhone)
    data = api_client(worker).get(f"/api/v1/actions/{action.pk}/").json()
    assert [site["id"] for site in data["sites"]] == [inside.pk]
    national = member(Role.NATIONAL_ADMIN, None)
    data = api_client(national).get(f"/api/v1/actions/{action.pk}/").json()
    assert {site["id"] for site in data["sites"]} == {inside.pk, elsewhere.pk}


def test_filters_are_the_lists_and_errors_are_french(rhone, action):
    ActionFactory(name="Scolarisation", department=rhone, topics=["school"])
    client = api_client(member(Role.INTERVENANT, rhone))
    names = {row["name"] for row in client.get("/api/v1/actions/?q=Villeurbanne").json()["results"]}
    assert names == {"Accompagnement Villeurbanne"}
    bad = client.get("/api/v1/actions/?statut=nimporte")
    assert bad.status_code == 400
    assert "statut" in bad.content.decode() and "nimporte" in bad.content.decode()


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("where", ["department", "elsewhere"])
def test_for_every_role_the_api_shows_the_actions_and_finances_the_screens_show(
    client, rhone, action, role, where
):
    """Each role, placed in the action's department or in another one: the API lists exactly
    the actions of the screen's list, and a detail carries the finances exactly when the
    screen's action page shows them."""
    import re

    elsewhere = DepartmentFactory(code="13", name="Bouches-du-Rhône")
    ActionFactory(name="Action marseillaise", department=elsewhere)
    user = member(role, rhone if where == "department" else elsewhere)
    client.force_login(user)

    screen = client.get("/actions/", {"taille": 100})
    on_screen = (
        set(map(int, re.findall(r'href="/actions/(\d+)/"', screen.content.decode())))
        if screen.status_code == 200
        else set()
    )
    api = api_client(user)
    answer = api.get("/api/v1/actions/", {"taille": 200})
    in_api = {row["id"] for row in answer.json()["results"]} if answer.status_code == 200 else set()
    assert in_api == on_screen
    if where == "department" and role in (Role.INTERVENANT, Role.LOCAL_ADMIN, Role.NATIONAL_ADMIN):
        assert action.pk in on_screen  # the comparison is not between two empty lists
    for pk in on_screen:
        page = client.get(f"/actions/{pk}/").content.decode()
        detail = api.get(f"/api/v1/actions/{pk}/").json()
        assert ('id="finances"' in page) == ("finances" in detail), (role, where, pk)
