"""The Wagtail admin form of a site page: per-user sensitive fields, and the map.

`SiteAdminForm` removes, for the user the form is built for, the owners formset (without
`site.access_owners`) and the justice fields (without `site.access_justice`): absent from the
form, they are neither shown nor overwritten (the revision keeps their current values). The
panels that only hold them hide themselves (see `panels.py`).

`location` is a form-only field edited on a Leaflet map (wagtailgeowidget, `SRID=4326;POINT(lng
lat)`); when it changes, it sets `latitude` and `longitude`.
"""

import copy
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from directory import perms
from directory.permission_matrix import Feature
from sitepages.field_groups import JUSTICE_FIELDS

JUSTICE_FIELD_NAMES = tuple(JUSTICE_FIELDS)
POINT_RE = re.compile(
    r"^\s*(?:SRID=\d+;)?\s*POINT\s*\(\s*(?P<lng>-?\d+(?:\.\d+)?)\s+(?P<lat>-?\d+(?:\.\d+)?)\s*\)\s*$",
    re.IGNORECASE,
)
SIX_DECIMALS = Decimal("0.000001")


def parse_point(value: str) -> tuple[Decimal, Decimal] | None:
    """(latitude, longitude) from "SRID=4326;POINT(lng lat)", or None."""
    match = POINT_RE.match(value or "")
    if not match:
        return None
    try:
        latitude = Decimal(match["lat"]).quantize(SIX_DECIMALS)
        longitude = Decimal(match["lng"]).quantize(SIX_DECIMALS)
    except InvalidOperation:
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return latitude, longitude


class SiteAdminForm(WagtailAdminPageForm):
    location = forms.CharField(label=_("Location on the map"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        site = self.instance
        place = site if site.commune_id else None
        user = self.for_user
        if user is not None:
            if not perms.can(user, Feature.SITE_OWNERS, place):
                self.formsets.pop("owners", None)
            if not perms.can(user, Feature.SITE_JUSTICE, place):
                for name in JUSTICE_FIELD_NAMES:
                    self.fields.pop(name, None)
        if "location" in self.fields:
            # `location` is declared here, so the map widget the panel asks for (Meta.widgets
            # only applies to model fields) is set by hand.
            widget = (getattr(self._meta, "widgets", None) or {}).get("location")
            if widget is not None:
                self.fields["location"].widget = copy.deepcopy(widget)
            self.initial.setdefault("location", site.location)

    def clean_location(self):
        value = (self.cleaned_data.get("location") or "").strip()
        if value and parse_point(value) is None:
            raise forms.ValidationError(_("Choose a point on the map."), code="invalid")
        return value

    def clean(self):
        cleaned = super().clean()
        point = parse_point(cleaned.get("location") or "")
        if point and "location" in self.changed_data:
            cleaned["latitude"], cleaned["longitude"] = point
        return cleaned
