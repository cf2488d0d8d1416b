"""Placing a site on the map: where the form's map starts, and the address search.

A commune's centre comes, in order, from the territory data (`Commune.latitude/longitude`,
filled by `manage.py fill_commune_centres`), from the geocoder (kept in the cache for a month),
or from the sites already declared in the commune; None when nothing knows it (the map then
shows the department's area). The address search goes through `core.geocoder`.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg

from core import geocoder
from sitepages.models import SitePage

CENTRE_CACHE_SECONDS = 30 * 24 * 3600
#: The zoom of the form's map on a commune, and on a placed site.
COMMUNE_ZOOM, SITE_ZOOM = 14, 17
_NOTHING = "none"


def commune_centre(commune) -> tuple[float, float] | None:
    """(latitude, longitude) of the commune's centre, or None."""
    if commune.latitude is not None and commune.longitude is not None:
        return float(commune.latitude), float(commune.longitude)
    key = f"commune-centre:{commune.code}"
    cached = cache.get(key)
    if cached == _NOTHING:
        cached = None
    elif cached is not None:
        return tuple(cached)
    if geocoder.is_enabled():
        try:
            centre = geocoder.commune_centre(commune.code, commune.name)
        except geocoder.GeocoderUnavailable:
            centre = None  # not cached: the service may come back
        else:
            cache.set(key, list(centre) if centre else _NOTHING, CENTRE_CACHE_SECONDS)
        if centre:
            return centre
    sites = SitePage.objects.filter(
        commune=commune, latitude__isnull=False, longitude__isnull=False
    ).aggregate(latitude=Avg("latitude"), longitude=Avg("longitude"))
    if sites["latitude"] is not None:
        return float(sites["latitude"]), float(sites["longitude"])
    return None


def search_addresses(text: str, commune=None) -> list[dict]:
    """Addresses for the form's search (within the commune when chosen), as JSON-ready dicts.
    Raises geocoder.GeocoderUnavailable."""
    citycode = commune.code if commune is not None else ""
    return [
        address.as_dict()
        for address in geocoder.search(text, citycode=citycode, limit=6)
        if address.kind != "municipality" or not citycode
    ]


def map_settings(site) -> dict:
    """What the form's map starts from: the placed site, else its commune's centre."""
    start = {}
    if site.latitude is not None and site.longitude is not None:
        start = {"latitude": float(site.latitude), "longitude": float(site.longitude)}
        start["zoom"] = SITE_ZOOM
    elif site.commune_id:
        centre = commune_centre(site.commune)
        if centre:
            start = {"latitude": centre[0], "longitude": centre[1], "zoom": COMMUNE_ZOOM}
    return {
        "start": start,
        "geocoder": geocoder.is_enabled(),
        "tile_url": settings.SITES_MAP_TILE_URL,
        "tile_attribution": settings.SITES_MAP_TILE_ATTRIBUTION,
    }
