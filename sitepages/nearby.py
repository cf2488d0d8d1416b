"""Is the site being declared already on the platform? Open sites within 200 m, or with the same
address in the same commune, among the sites the declarant may read (a site they may not read
is never revealed)."""

import math
import re
from decimal import Decimal

from django.db.models import F, Func, Q, Value
from django.db.models.functions import Lower, Trim

from directory import perms
from directory.permission_matrix import Feature
from sitepages.models import SitePage

NEARBY_METRES = 200
EARTH_RADIUS_METRES = 6_371_000
SHOWN = 5


def distance_metres(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    dphi = phi2 - phi1
    dlambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(math.sqrt(a))


def _normal_address(address: str) -> str:
    return re.sub(r"[\W_]+", " ", (address or "").lower()).strip()


def nearby_sites(site: SitePage, user) -> list[dict]:
    """[{site, distance (metres or None), same_address}], nearest first."""
    candidates = SitePage.objects.live().open().filter(perms.scope_q(user, Feature.SITE_READ))
    if site.pk:
        candidates = candidates.exclude(pk=site.pk)
    conditions = Q(pk__in=[])
    lat, lon = site.latitude, site.longitude
    if lat is not None and lon is not None:
        delta_lat = Decimal(NEARBY_METRES / 111_000 * 1.1)
        cosine = max(math.cos(math.radians(float(lat))), 0.01)
        delta_lon = Decimal(NEARBY_METRES / (111_000 * cosine) * 1.1)
        conditions |= Q(
            latitude__range=(lat - delta_lat, lat + delta_lat),
            longitude__range=(lon - delta_lon, lon + delta_lon),
        )
    address = _normal_address(site.address)
    if address and site.commune_id:
        conditions |= Q(commune_id=site.commune_id, normal_address=address)
    found = []
    candidates = candidates.alias(
        normal_address=Trim(
            Lower(
                Func(
                    F("address"),
                    Value(r"[^[:alnum:]]+"),
                    Value(" "),
                    Value("g"),
                    function="regexp_replace",
                )
            )
        )
    )
    for other in candidates.filter(conditions).select_related("commune")[:50]:
        distance = None
        if None not in (lat, lon, other.latitude, other.longitude):
            distance = distance_metres(lat, lon, other.latitude, other.longitude)
        same_address = (
            bool(address)
            and other.commune_id == site.commune_id
            and (_normal_address(other.address) == address)
        )
        if same_address or (distance is not None and distance <= NEARBY_METRES):
            found.append({"site": other, "distance": distance, "same_address": same_address})
    found.sort(key=lambda row: (row["distance"] is None, row["distance"] or 0))
    return found[:SHOWN]
