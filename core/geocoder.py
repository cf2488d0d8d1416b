"""The address geocoder: an adapter to the State's national address base API (Base Adresse
Nationale, « API Adresse », now served by the Géoplateforme at the same format).

`GEOCODER_URL` names the service (e.g. `https://api-adresse.data.gouv.fr` or
`https://data.geopf.fr/geocodage`); empty turns geocoding off, and the forms then keep only the
map and the latitude/longitude fields. The platform asks the service from the server (the browser
only talks to the platform, so the Content-Security-Policy and a closed network stay as they
are), with a short timeout: a slow or failing service is reported as unavailable, never as an
error page.

The API: `GET {url}/search/?q=<text>&limit=<n>[&type=municipality][&citycode=<INSEE code>]`
answers a GeoJSON FeatureCollection whose features carry `geometry.coordinates` as
`[longitude, latitude]` and `properties` with `label`, `name`, `postcode`, `citycode`, `city`,
`type` and `score`. `q` must hold 3 to 200 characters and start with a letter or a digit.
"""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

#: What the API accepts as a query.
MIN_QUERY, MAX_QUERY = 3, 200
MAX_RESULTS = 10
#: The most of an answer read (a few results are a few kilobytes).
MAX_ANSWER_BYTES = 512 * 1024


class GeocoderUnavailable(Exception):
    """The service is off, did not answer in time, or answered something unreadable."""


@dataclass(frozen=True)
class Address:
    label: str
    name: str
    postcode: str
    citycode: str
    city: str
    kind: str
    latitude: float
    longitude: float
    score: float

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "name": self.name,
            "postcode": self.postcode,
            "citycode": self.citycode,
            "city": self.city,
            "type": self.kind,
            "latitude": round(self.latitude, 6),
            "longitude": round(self.longitude, 6),
        }


def is_enabled() -> bool:
    return bool(settings.GEOCODER_URL)


def valid_query(text: str) -> str | None:
    """The query as the API takes it, or None when it cannot be asked."""
    text = " ".join((text or "").split())
    if not MIN_QUERY <= len(text) <= MAX_QUERY or not text[0].isalnum():
        return None
    return text


def search(
    text: str, *, citycode: str = "", municipality: bool = False, limit: int = 5
) -> list[Address]:
    """Addresses matching `text` (within the commune `citycode` when given), best first.

    Raises GeocoderUnavailable when the service is off or fails; returns [] for a query the
    API would refuse (too short, too long, not starting with a letter or a digit).
    """
    if not is_enabled():
        raise GeocoderUnavailable("GEOCODER_URL is empty")
    query = valid_query(text)
    if query is None:
        return []
    params = {"q": query, "limit": max(1, min(limit, MAX_RESULTS))}
    if citycode:
        params["citycode"] = citycode
    if municipality:
        params["type"] = "municipality"
    url = f"{settings.GEOCODER_URL.rstrip('/')}/search/?{urllib.parse.urlencode(params)}"
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=settings.GEOCODER_TIMEOUT) as answer:  # noqa: S310 - an operator-set https URL
            body = answer.read(MAX_ANSWER_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        logger.warning("Geocoder unavailable: %s", exc)
        raise GeocoderUnavailable(str(exc)) from exc
    if len(body) > MAX_ANSWER_BYTES:
        raise GeocoderUnavailable("answer too large")
    try:
        return _addresses(json.loads(body))
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        logger.warning("Geocoder answered an unreadable document: %s", exc)
        raise GeocoderUnavailable("unreadable answer") from exc


def _addresses(document) -> list[Address]:
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ValueError("not a FeatureCollection")
    addresses = []
    for feature in document["features"]:
        longitude, latitude = (float(value) for value in feature["geometry"]["coordinates"][:2])
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            continue
        properties = feature.get("properties") or {}
        addresses.append(
            Address(
                label=str(properties.get("label", ""))[:300],
                name=str(properties.get("name", ""))[:300],
                postcode=str(properties.get("postcode", ""))[:10],
                citycode=str(properties.get("citycode", ""))[:10],
                city=str(properties.get("city", ""))[:200],
                kind=str(properties.get("type", ""))[:30],
                latitude=latitude,
                longitude=longitude,
                score=float(properties.get("score") or 0),
            )
        )
    return addresses


def commune_centre(code: str, name: str) -> tuple[float, float] | None:
    """The position the service gives for the commune of INSEE `code` (its town hall or centre),
    or None when it knows none. Raises GeocoderUnavailable as `search`."""
    for address in search(name, citycode=code, municipality=True, limit=1):
        if address.citycode == code:
            return address.latitude, address.longitude
    return None
