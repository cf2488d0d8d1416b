"""GeoJSON of the sites (/sites/geojson/), for the map: the same filters as the list.

Only the sites the user may list, only those with coordinates, and only what the list shows:
never an owner, a procedure or a journal message. Two or three queries whatever the number of
sites (tests/sitepages/test_geojson.py).
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from directory import perms
from directory.permission_matrix import Feature
from sitepages.filters import SiteFilterForm
from sitepages.views_list import site_status, visible_sites

#: The only columns read: what a marker's popup shows.
FIELDS = [
    "id",
    "title",
    "url_path",
    "latitude",
    "longitude",
    "people",
    "closed_at",
    "closed_with_solutions",
    "commune__code",
    "commune__name",
    "commune__department",
]

STATUS_KEYS = {"fr-badge--success": "resorbed", "fr-badge--warning": "closed"}


def feature(request, site) -> dict:
    label, badge = site_status(site)
    return {
        "type": "Feature",
        "id": site.pk,
        "geometry": {
            "type": "Point",
            "coordinates": [float(site.longitude), float(site.latitude)],
        },
        "properties": {
            "name": site.title,
            "commune": f"{site.commune.name} ({site.commune.department_id})",
            "people": site.people,
            "status": STATUS_KEYS.get(badge, "open"),
            "status_label": label,
            "url": site.get_url(request),
        },
    }


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@never_cache
@require_GET
def site_geojson(request):
    user = request.user
    if not user.is_authenticated:
        return _error(403, _("Log in to see the sites."))
    if not perms.can(user, Feature.SITE_LIST):
        return _error(403, _("You may not list sites."))
    form = SiteFilterForm(request.GET, user=user)
    sites = (
        form.filter(visible_sites(user))
        .filter(latitude__isnull=False, longitude__isnull=False)
        .select_related("commune")
        .only(*FIELDS)
        .order_by("pk")
    )
    data = {
        "type": "FeatureCollection",
        "features": [feature(request, site) for site in sites],
    }
    if form.errors:
        # Invalid filters are ignored, and named so that the caller knows.
        data["ignored_filters"] = sorted(form.errors)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/geo+json"
    return response
