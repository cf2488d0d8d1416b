"""The read endpoints give what the screens show: the same sites per role, the sensitive fields
absent without the right, details as 404 when the site may not be read, ETags, cursor pages."""

import pytest

from directory.enums import Role
from sitepages.models import SiteOwner
from tests.api.support import api_client, member
from tests.directory.factories import DepartmentFactory
from tests.sitepages.list_factories import bulk_sites

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    here, elsewhere = DepartmentFactory(), DepartmentFactory()
    [site_here] = bulk_sites(
        1, department=here, name="here", justice_procedure=True, owner_complaint=True
    )
    [site_elsewhere] = bulk_sites(1, department=elsewhere, name="elsewhere")
    SiteOwner.objects.create(site=site_here, type="private", name="M. Durand")
    return {
        "here": here,
        "elsewhere": elsewhere,
        "nation": None,
        "sites": {"here": site_here, "elsewhere": site_elsewhere},
    }


HERE, ELSEWHERE, BOTH = {"here"}, {"elsewhere"}, {"here", "elsewhere"}

# The same table as tests/sitepages/test_list_permissions.py: role, area, sites listed
# (None: 403).
READERS = {
    "national admin": (Role.NATIONAL_ADMIN, "nation", BOTH),
    "local admin here": (Role.LOCAL_ADMIN, "here", HERE),
    "local admin elsewhere": (Role.LOCAL_ADMIN, "elsewhere", ELSEWHERE),
    "correspondant here (national list)": (Role.CORRESPONDANT, "here", BOTH),
    "acteur national": (Role.ACTEUR_NATIONAL, "nation", BOTH),
    "partenaire here": (Role.PARTENAIRE_INSTITUTIONNEL, "here", HERE),
    "operateur elsewhere": (Role.OPERATEUR, "elsewhere", ELSEWHERE),
    "intervenant here": (Role.INTERVENANT, "here", HERE),
    "observateur here": (Role.OBSERVATEUR_EXTERNE, "here", HERE),
    "intervenant without any area": (Role.INTERVENANT, None, None),
}


@pytest.mark.parametrize("case", READERS)
def test_the_api_lists_the_sites_the_screen_lists(client, place, case):
    role, area, expected = READERS[case]
    user = member(role, place.get(area), area=area is not None)
    # The list's own default (the user's areas first) and widening apply to both.
    params = {"statut": "tous", "perimetre": "tout"}
    response = api_client(user).get("/api/v1/sites/", params)
    client.force_login(user)
    screen = client.get("/sites/", params)
    if expected is None:
        assert response.status_code == 403
        assert screen.status_code == 403
        return
    assert response.status_code == 200
    assert {row["name"] for row in response.json()["results"]} == expected
    assert {row["site"].name for row in screen.context["page_obj"].rows} == expected
    for key, site in place["sites"].items():
        detail = api_client(user).get(f"/api/v1/sites/{site.pk}/")
        assert detail.status_code == (200 if key in expected else 404)


OWNER_FIELDS = {"owners"}
JUSTICE_FIELDS = {"justice_procedure", "owner_complaint", "eviction_order", "police_assistance"}

# role -> (sees owners, sees justice) on a site of their own department
FIELD_RIGHTS = {
    Role.NATIONAL_ADMIN: (True, True),
    Role.LOCAL_ADMIN: (True, True),
    Role.CORRESPONDANT: (True, True),
    Role.ACTEUR_NATIONAL: (True, True),
    Role.PARTENAIRE_INSTITUTIONNEL: (True, False),
    Role.OPERATEUR: (False, False),
    Role.INTERVENANT: (False, False),
    Role.OBSERVATEUR_EXTERNE: (False, False),
}


@pytest.mark.parametrize("role", FIELD_RIGHTS)
def test_sensitive_fields_are_absent_without_the_right(place, role):
    sees_owners, sees_justice = FIELD_RIGHTS[role]
    area = None if role in (Role.NATIONAL_ADMIN, Role.ACTEUR_NATIONAL) else place["here"]
    user = member(role, area)
    site = place["sites"]["here"]
    data = api_client(user).get(f"/api/v1/sites/{site.pk}/").json()
    assert data["name"] == "here"
    assert OWNER_FIELDS <= set(data) if sees_owners else not OWNER_FIELDS & set(data)
    assert JUSTICE_FIELDS <= set(data) if sees_justice else not JUSTICE_FIELDS & set(data)
    if sees_owners:
        assert data["owners"] == [{"type": "private", "name": "M. Durand"}]
    if sees_justice:
        assert data["justice_procedure"] is True
    body = str(data)
    assert ("Durand" in body) is sees_owners


def test_the_history_hides_what_the_reader_may_not_see(place):
    from sitepages import services
    from sitepages.models import SitePage

    site = SitePage.objects.get(pk=place["sites"]["here"].pk)
    admin = member(Role.NATIONAL_ADMIN)
    state = services.editable_state(site)
    state.people = 42
    state.justice_decision = True
    services.save_site(site=state, user=admin)
    reader = member(Role.INTERVENANT, place["here"])
    response = api_client(reader).get(f"/api/v1/sites/{site.pk}/historique/")
    assert response.status_code == 200
    fields = {c["field"] for rev in response.json()["results"] for c in rev["changes"]}
    assert "people" in fields
    assert "justice_decision" not in fields
    fields = {
        c["field"]
        for rev in api_client(admin).get(f"/api/v1/sites/{site.pk}/historique/").json()["results"]
        for c in rev["changes"]
    }
    assert "justice_decision" in fields


def test_details_carry_an_etag(place):
    user = member(Role.NATIONAL_ADMIN)
    client = api_client(user)
    url = f"/api/v1/sites/{place['sites']['here'].pk}/"
    response = client.get(url)
    etag = response.headers["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.headers["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_site_list_filters_and_cursor_pages(place):
    department = place["here"]
    bulk_sites(5, department=department, people=lambda n: 10 * (n + 1))
    user = member(Role.NATIONAL_ADMIN)
    client = api_client(user)
    response = client.get("/api/v1/sites/", {"territoire": f"department:{department.code}"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 6
    seen, url, params = [], "/api/v1/sites/", {"taille": 2, "tri": "population"}
    while url:
        page = client.get(url, params).json()
        seen += [row["people"] for row in page["results"]]
        url, params = page["next"], None
    assert seen[:5] == [50, 40, 30, 20, 10]
    assert len(seen) == 7


@pytest.mark.parametrize(
    "params",
    [
        {"statut": "nimportequoi"},
        {"territoire": "department:<b>"},
        {"tri": "x" * 300},
        {"population": "\x00"},
    ],
)
def test_bad_filters_are_a_400_with_french_messages(place, params):
    response = api_client(member(Role.NATIONAL_ADMIN)).get("/api/v1/sites/", params)
    assert response.status_code == 400
    assert response.json()


@pytest.mark.parametrize("path", ["sites/0/", "sites/99999999999999999999/", "utilisateurs/0/"])
def test_unknown_ids_are_404(path):
    response = api_client(member(Role.NATIONAL_ADMIN)).get(f"/api/v1/{path}")
    assert response.status_code == 404


def test_directory_and_territories(place):
    user = member(Role.INTERVENANT, place["here"])
    client = api_client(user)
    people = client.get("/api/v1/utilisateurs/").json()["results"]
    assert user.pk in {person["id"] for person in people}
    assert all(person["role"] is None for person in people)
    assert client.get(f"/api/v1/utilisateurs/{user.pk}/").status_code == 200
    departments = client.get("/api/v1/territoires/departements/").json()["results"]
    assert place["here"].code in {d["code"] for d in departments}
    assert client.get("/api/v1/territoires/regions/").status_code == 200
    assert client.get("/api/v1/organisations/").status_code == 200
