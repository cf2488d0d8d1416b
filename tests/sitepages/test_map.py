"""The map page (/sites/carte/): same filters as the list, assets served locally, tile setting."""

import re

import pytest

from directory.enums import Role
from tests.directory.factories import UserFactory, give_area
from tests.sitepages.list_factories import bulk_sites

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(role=Role.NATIONAL_ADMIN)
    give_area(admin, None)
    client.force_login(admin)
    return client


def test_map_page(admin_client):
    bulk_sites(3, latitude=45.0, longitude=5.0, people=20)
    bulk_sites(2, people=20)  # no coordinates
    response = admin_client.get("/sites/carte/", {"population": "10-49", "tri": "commune"})
    assert response.status_code == 200
    context = response.context
    assert (context["total"], context["located"], context["not_located"]) == (5, 3, 2)
    html = response.content.decode()
    # The map reads the GeoJSON of the same filters; the list link is the text alternative.
    assert 'data-geojson-url="/sites/geojson/?population=10-49&amp;tri=commune"' in html
    assert 'href="/sites/?population=10-49&amp;tri=commune"' in html
    assert 'id="sites-map"' in html and 'role="region"' in html


def test_assets_are_local(admin_client):
    html = admin_client.get("/sites/carte/").content.decode()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    styles = re.findall(r'<link[^>]*href="([^"]+\.css)"', html)
    for asset in (
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/leaflet-markercluster/leaflet.markercluster.js",
        "/static/js/sites-map.js",
    ):
        assert asset in scripts
    for asset in (
        "/static/vendor/leaflet/leaflet.css",
        "/static/vendor/leaflet-markercluster/MarkerCluster.css",
        "/static/vendor/leaflet-markercluster/MarkerCluster.Default.css",
        "/static/css/sites-map.css",
    ):
        assert asset in styles
    assert not [url for url in scripts + styles if url.startswith(("http:", "https:", "//"))]


@pytest.mark.parametrize(
    "path",
    [
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/leaflet-markercluster/leaflet.markercluster.js",
        "/static/js/sites-map.js",
    ],
)
def test_assets_are_served(client, path):
    response = client.get(path)
    assert response.status_code == 200
    response.close()


def test_tile_url_is_a_setting(admin_client, settings):
    settings.SITES_MAP_TILE_URL = "https://tuiles.exemple.test/{z}/{x}/{y}.png"
    settings.SITES_MAP_TILE_ATTRIBUTION = "Tuiles internes"
    html = admin_client.get("/sites/carte/").content.decode()
    assert 'data-tile-url="https://tuiles.exemple.test/{z}/{x}/{y}.png"' in html
    assert 'data-tile-attribution="Tuiles internes"' in html
    settings.SITES_MAP_TILE_URL = ""
    html = admin_client.get("/sites/carte/").content.decode()
    assert 'data-tile-url=""' in html and "data-msg-no-tiles=" in html


def test_map_filter_errors_are_shown(admin_client):
    response = admin_client.get("/sites/carte/", {"statut": "archives", "page": "x"})
    assert response.status_code == 200
    assert "statut" in response.context["form"].errors
    assert "fr-alert--error" in response.content.decode()
