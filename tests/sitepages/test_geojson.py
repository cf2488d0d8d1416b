"""The GeoJSON feed of the map (/sites/geojson/): its shape, what it never contains, filters."""

import json

import pytest

from directory.enums import Role
from sitepages.enums import OwnerType
from sitepages.models import SiteOwner
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.sitepages.list_factories import bulk_sites

pytestmark = pytest.mark.django_db

OWNER_MARKER = "Proprietaire-Marqueur-4K"
COURT_MARKER = "Tribunal-Marqueur-8P"
BAILIFF_MARKER = "Huissier-Marqueur-2W"


@pytest.fixture
def sites():
    commune = CommuneFactory(name="Pontval", department=DepartmentFactory(code="D77"))
    located = bulk_sites(
        1,
        commune=commune,
        name="Les Saules",
        address="1 route du Port",
        latitude=45.75,
        longitude=4.85,
        people=42,
        justice_procedure=True,
        justice_court=COURT_MARKER,
        bailiff=BAILIFF_MARKER,
    )[0]
    SiteOwner.objects.create(site=located, type=OwnerType.PRIVATE, name=OWNER_MARKER)
    closed = bulk_sites(
        1,
        commune=commune,
        latitude=45.7,
        longitude=4.9,
        closed_at=located.declared_at,
        closed_with_solutions=True,
    )[0]
    unlocated = bulk_sites(1, commune=commune)[0]
    return {"located": located, "closed": closed, "unlocated": unlocated}


@pytest.fixture
def admin_client(client):
    admin = UserFactory(role=Role.NATIONAL_ADMIN)
    give_area(admin, None)
    client.force_login(admin)
    return client


def test_feature_collection(admin_client, sites):
    response = admin_client.get("/sites/geojson/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert [feature["id"] for feature in data["features"]] == [sites["located"].pk]
    feature = data["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [4.85, 45.75]}
    properties = feature["properties"]
    assert properties["name"] == sites["located"].title
    assert properties["commune"] == "Pontval (D77)"
    assert properties["people"] == 42
    assert properties["status"] == "open"
    assert properties["url"] == sites["located"].url
    assert set(properties) == {"name", "commune", "people", "status", "status_label", "url"}


def test_status_filter_and_statuses(admin_client, sites):
    data = admin_client.get("/sites/geojson/", {"statut": "tous"}).json()
    statuses = {feature["id"]: feature["properties"]["status"] for feature in data["features"]}
    assert statuses == {sites["located"].pk: "open", sites["closed"].pk: "resorbed"}


def test_never_owner_nor_justice_data(admin_client, sites):
    text = admin_client.get("/sites/geojson/", {"statut": "tous"}).content.decode()
    for marker in (OWNER_MARKER, COURT_MARKER, BAILIFF_MARKER, "justice", "owner"):
        assert marker not in text


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "saules"}, {"located"}),
        ({"q": "inconnu"}, set()),
        ({"population": "10-49"}, {"located"}),
        ({"population": "inconnue"}, set()),
        ({"statut": "resorbes"}, {"closed"}),
        ({"procedures": "procedure", "statut": "tous"}, {"located"}),
    ],
)
def test_filters(admin_client, sites, params, expected):
    data = admin_client.get("/sites/geojson/", params).json()
    assert {feature["id"] for feature in data["features"]} == {sites[key].pk for key in expected}


def test_invalid_filters_are_ignored_and_named(admin_client, sites):
    response = admin_client.get(
        "/sites/geojson/", {"statut": "nimporte", "population": "x", "page": "zz"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["ignored_filters"] == ["population", "statut"]
    assert [feature["id"] for feature in data["features"]] == [sites["located"].pk]


def test_post_is_refused(admin_client, sites):
    assert admin_client.post("/sites/geojson/").status_code == 405


@pytest.mark.parametrize("role, status", [(None, 403), (Role.INTERVENANT, 403)])
def test_refused(client, sites, role, status):
    if role is not None:
        client.force_login(UserFactory(role=role))  # no intervention area: may list nothing
    response = client.get("/sites/geojson/")
    assert response.status_code == status
    assert set(json.loads(response.content)) == {"error"}
