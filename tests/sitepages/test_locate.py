"""Placing a site (issue 21, part 2): the form's map starts on the site or its commune's centre;
the commune centre comes from the territory data, the geocoder or the commune's sites; the
address search goes through the geocoder adapter (a local server in the national address base
API's format), and every failure is a French message, never a 500."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from directory.enums import Role
from directory.models import Commune
from sitepages import locating
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory
from tests.sitepages.edit_support import user_with
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db

CENTRE = reverse("site_locate_commune")
ADDRESSES = reverse("site_locate_addresses")


@pytest.fixture
def lyon():
    return CommuneFactory(code="69123", name="Lyon", department=DepartmentFactory(code="69"))


@pytest.fixture
def agent(client, lyon):
    client.force_login(user_with(Role.LOCAL_ADMIN, lyon.department))
    return client


# --- The commune’s centre -----------------------------------------------------------------------


def test_a_stored_centre_comes_first(agent, lyon, ban):
    Commune.objects.filter(pk=lyon.pk).update(latitude=Decimal("45.1"), longitude=Decimal("4.2"))
    answer = agent.get(CENTRE, {"commune": "commune:69123"}).json()
    assert answer == {"latitude": 45.1, "longitude": 4.2, "zoom": locating.COMMUNE_ZOOM}
    assert ban.requests == []


def test_else_the_geocoder_is_asked_once_and_cached(agent, lyon, ban):
    for _ in range(2):
        answer = agent.get(CENTRE, {"commune": "commune:69123"}).json()
        assert (answer["latitude"], answer["longitude"]) == (45.758, 4.835)
    assert len(ban.requests) == 1


def test_else_the_sites_of_the_commune(agent, lyon, settings):
    settings.GEOCODER_URL = ""
    SitePageFactory(commune=lyon, latitude=Decimal("45.70"), longitude=Decimal("4.80"))
    SitePageFactory(commune=lyon, latitude=Decimal("45.80"), longitude=Decimal("4.90"))
    answer = agent.get(CENTRE, {"commune": "commune:69123"}).json()
    assert answer["latitude"] == pytest.approx(45.75) and answer["longitude"] == pytest.approx(4.85)


def test_an_unknown_centre_is_an_empty_answer(agent, lyon, ban):
    ban.mode = "broken"
    assert agent.get(CENTRE, {"commune": "commune:69123"}).json() == {}


def test_a_bad_commune_is_a_french_400(agent):
    response = agent.get(CENTRE, {"commune": "commune:99999"})
    assert response.status_code == 400
    assert response.json()["error"] == "Choisissez une commune dans la liste."


# --- The address search ------------------------------------------------------------------------


def test_the_address_search_within_the_commune(agent, lyon, ban):
    response = agent.get(ADDRESSES, {"q": "12 rue des Lilas", "commune": "commune:69123"})
    assert response.status_code == 200
    (address,) = response.json()["results"]
    assert address == {
        "label": "12 Rue des Lilas 69008 Lyon",
        "name": "12 Rue des Lilas",
        "postcode": "69008",
        "citycode": "69123",
        "city": "Lyon",
        "type": "housenumber",
        "latitude": 45.737654,
        "longitude": 4.871234,
    }
    assert ban.requests[-1]["citycode"] == "69123"


@pytest.mark.parametrize("mode", ["slow", "broken", "garbage"])
def test_a_failing_geocoder_is_a_french_503(agent, lyon, ban, mode):
    ban.mode = mode
    response = agent.get(ADDRESSES, {"q": "12 rue des Lilas"})
    assert response.status_code == 503
    assert response.json()["error"].startswith("La recherche d’adresse ne répond pas")


def test_without_a_geocoder_the_search_is_absent(agent, lyon, settings):
    settings.GEOCODER_URL = ""
    assert agent.get(ADDRESSES, {"q": "12 rue des Lilas"}).status_code == 404
    html = agent.get(reverse("site_create")).content.decode()
    assert 'id="site-locate-map"' in html and 'id="site-locate-address"' not in html


@pytest.mark.parametrize("url", [CENTRE, ADDRESSES])
def test_who_may_not_place_a_site_gets_a_403(client, url, ban):
    assert client.get(url, {"q": "lyon"}).status_code == 403  # anonymous
    client.force_login(UserFactory(role=Role.OBSERVATEUR_EXTERNE))
    response = client.get(url, {"q": "lyon"})
    assert response.status_code == 403 and "error" in response.json()


# --- The form ----------------------------------------------------------------------------------


def test_the_form_map_starts_on_the_site(agent, lyon, ban):
    site = SitePageFactory(commune=lyon, latitude=Decimal("45.75"), longitude=Decimal("4.85"))
    html = agent.get(reverse("site_edit", args=[site.pk])).content.decode()
    assert 'data-start-latitude="45.75"' in html and 'data-start-zoom="17"' in html
    assert 'id="site-locate-address"' in html  # the geocoder is on
    assert "js/site-locate.js" in html and "vendor/leaflet/leaflet.js" in html


def test_the_form_map_starts_on_the_commune_when_the_site_is_not_placed(agent, lyon, ban):
    site = SitePageFactory(commune=lyon, latitude=None, longitude=None)
    html = agent.get(reverse("site_edit", args=[site.pk])).content.decode()
    assert 'data-start-latitude="45.758"' in html and 'data-start-zoom="14"' in html


# --- Filling the territory data ----------------------------------------------------------------


def test_the_command_fills_missing_centres_only(lyon, ban):
    other = CommuneFactory(code="13055", name="Marseille", department=DepartmentFactory(code="13"))
    unknown = CommuneFactory(code="2A004", name="Ajaccio", department=DepartmentFactory(code="2A"))
    Commune.objects.filter(pk=other.pk).update(latitude=Decimal("1"), longitude=Decimal("2"))
    call_command("fill_commune_centres")
    lyon.refresh_from_db(), other.refresh_from_db(), unknown.refresh_from_db()
    assert (lyon.latitude, lyon.longitude) == (Decimal("45.758000"), Decimal("4.835000"))
    assert (other.latitude, other.longitude) == (Decimal("1"), Decimal("2"))  # untouched
    assert unknown.latitude is None


def test_the_command_needs_a_geocoder(settings):
    settings.GEOCODER_URL = ""
    with pytest.raises(CommandError):
        call_command("fill_commune_centres")
