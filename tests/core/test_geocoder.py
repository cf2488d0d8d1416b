"""The geocoder client (core/geocoder.py) against a local server speaking the national address
base API's format: parameters sent, answers read, and every failure reported as unavailable."""

import pytest

from core import geocoder


def test_a_search_reads_the_feature_collection(ban):
    (address,) = geocoder.search("12 rue des lilas", citycode="69123")
    assert address.label == "12 Rue des Lilas 69008 Lyon"
    assert (address.latitude, address.longitude) == (45.737654, 4.871234)
    assert address.as_dict()["type"] == "housenumber" and address.citycode == "69123"
    assert ban.requests[-1] == {
        "path": "/search/",
        "q": "12 rue des lilas",
        "limit": "5",
        "citycode": "69123",
    }


def test_without_a_commune_every_match_comes_back(ban):
    labels = [address.label for address in geocoder.search("Rue des Lilas")]
    assert labels == ["12 Rue des Lilas 69008 Lyon", "12 Rue des Lilas 13001 Marseille"]


@pytest.mark.parametrize("text", ["", "ab", "  -rue", "x" * 201])
def test_a_query_the_api_would_refuse_is_not_sent(ban, text):
    assert geocoder.search(text) == []
    assert ban.requests == []


def test_the_commune_centre_is_its_municipality_result(ban):
    assert geocoder.commune_centre("69123", "Lyon") == (45.758, 4.835)
    assert ban.requests[-1]["type"] == "municipality"
    assert geocoder.commune_centre("69999", "Nulle-Part") is None


@pytest.mark.parametrize("mode", ["slow", "broken", "garbage"])
def test_a_failing_service_is_unavailable(ban, mode):
    ban.mode = mode
    with pytest.raises(geocoder.GeocoderUnavailable):
        geocoder.search("12 rue des lilas")


def test_an_unreachable_service_is_unavailable(settings):
    settings.GEOCODER_URL = "http://127.0.0.1:9"
    with pytest.raises(geocoder.GeocoderUnavailable):
        geocoder.search("12 rue des lilas")


def test_off_when_the_url_is_empty(settings):
    settings.GEOCODER_URL = ""
    assert not geocoder.is_enabled()
    with pytest.raises(geocoder.GeocoderUnavailable):
        geocoder.search("12 rue des lilas")
