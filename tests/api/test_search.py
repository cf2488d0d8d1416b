"""Search through the API: the search page's backend and access keys."""

import pytest

from directory.enums import Role
from tests.api.support import api_client
from tests.directory.factories import UserFactory, give_area
from tests.search import factories as world
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


def test_search_finds_only_what_the_reader_may_read():
    territories = world.Territories()
    user = UserFactory(role=Role.INTERVENANT)
    give_area(user, territories.d1)
    SitePageFactory(commune=territories.c1, name="Terrain des Lilas")
    SitePageFactory(commune=territories.c4, name="Terrain caché de Marseille")
    client = api_client(user)
    response = client.get("/api/v1/recherche/", {"q": "terrain"})
    assert response.status_code == 200, response.json()
    titles = " ".join(hit["title"] for hit in response.json()["results"])
    assert "Lilas" in titles
    assert "Marseille" not in titles
    assert client.get("/api/v1/recherche/").status_code == 400
    assert client.get("/api/v1/recherche/", {"q": "x", "page": "0"}).status_code == 400
