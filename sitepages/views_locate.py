"""The site form's map helpers (JSON, for `static/js/site-locate.js`): where to centre the map
for a commune, and the address search through the geocoder."""

from django import forms
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import geocoder
from directory import perms
from directory.enums import TerritoryLevel
from directory.fields import TerritoryField
from directory.permission_matrix import Feature
from sitepages import locating


class _LocateForm(forms.Form):
    commune = TerritoryField(levels=[TerritoryLevel.COMMUNE], required=False)
    q = forms.CharField(required=False, max_length=geocoder.MAX_QUERY * 2)


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _check(request):
    """The JSON error for who may not declare or update sites, else None."""
    user = request.user
    if not user.is_authenticated:
        return _error(403, _("Log in to place a site."))
    if not (perms.can(user, Feature.SITE_CREATE) or perms.can(user, Feature.SITE_UPDATE)):
        return _error(403, _("You may neither declare nor update sites."))
    return None


def _form(request):
    form = _LocateForm(request.GET)
    if not form.is_valid():
        return None, _error(400, _("Choose a commune in the list."))
    return form, None


@never_cache
@require_GET
def commune_centre(request):
    """{"latitude", "longitude", "zoom"} of the chosen commune, or {} when unknown."""
    form, error = (None, _check(request))
    if error is None:
        form, error = _form(request)
    if error is not None:
        return error
    commune = form.cleaned_data["commune"]
    centre = locating.commune_centre(commune) if commune is not None else None
    if centre is None:
        return JsonResponse({})
    latitude, longitude = centre
    return JsonResponse(
        {
            "latitude": round(latitude, 6),
            "longitude": round(longitude, 6),
            "zoom": locating.COMMUNE_ZOOM,
        }
    )


@never_cache
@require_GET
def address_search(request):
    """{"results": [address…]} for the typed text, within the chosen commune."""
    form, error = (None, _check(request))
    if error is None:
        form, error = _form(request)
    if error is not None:
        return error
    if not geocoder.is_enabled():
        return _error(404, _("The address search is not available on this platform."))
    try:
        results = locating.search_addresses(form.cleaned_data["q"], form.cleaned_data["commune"])
    except geocoder.GeocoderUnavailable:
        return _error(
            503,
            _(
                "The address search does not answer for now: place the site on the map or "
                "type its coordinates."
            ),
        )
    return JsonResponse({"results": results})
