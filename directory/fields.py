"""Form fields of the directory app."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from directory.enums import TerritoryLevel
from directory.models import normalize_name
from directory.services.territories import (
    LEVELS,
    MAX_LIMIT,
    MAX_QUERY_LENGTH,
    MODELS,
    VALUE_RE,
    get_territory,
    search_territories,
    territory_from_value,
)
from directory.widgets import TerritoryAutocompleteWidget

# "Lyon (69)" → "Lyon": the department code a label ends with.
LABEL_CODE_SUFFIX_RE = re.compile(r"\s*\([0-9A-Za-z]{1,9}\)$")


class TerritoryField(forms.Field):
    """A region, department, EPCI or commune chosen through `TerritoryAutocompleteWidget`.

    Cleans `level:code` (e.g. `commune:69123`) into the territory model instance. Without
    JavaScript the widget posts the typed text instead: a name or label naming exactly one
    territory of the allowed levels is accepted ("Villeurbanne", "Saint-Denis (93)"), anything
    else gets an error message.
    """

    widget = TerritoryAutocompleteWidget
    default_error_messages = {
        "invalid": _("Choose a territory from the suggested list."),
        "level": _("This kind of territory is not accepted here."),
        "unknown": _("This territory does not exist."),
        "not_found": _("No territory matches “%(value)s”. Choose one from the suggested list."),
        "ambiguous": _(
            "Several territories match “%(value)s”. Choose one from the suggested list."
        ),
    }

    def __init__(self, *, levels=None, **kwargs):
        self.levels = [TerritoryLevel(level) for level in (levels or LEVELS)]
        if not self.levels or any(level not in LEVELS for level in self.levels):
            raise ValueError(f"levels must be among {', '.join(LEVELS)}.")
        super().__init__(**kwargs)
        self.widget.levels = self.levels

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, tuple(MODELS.values())):
            if value.level not in self.levels:
                raise ValidationError(self.error_messages["level"], code="level")
            return value
        value = str(value).strip()
        match = VALUE_RE.fullmatch(value)
        if match:
            if match["level"] not in LEVELS:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            if match["level"] not in self.levels:
                raise ValidationError(self.error_messages["level"], code="level")
            territory = get_territory(match["level"], match["code"])
            if territory is None:
                raise ValidationError(self.error_messages["unknown"], code="unknown")
            return territory
        if ":" in value:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        territory = territory_from_value(value, self.levels)  # a bare code (one level only)
        return territory or self._from_text(value)

    def _from_text(self, text: str):
        """The only territory of the allowed levels whose name or label is `text`."""
        params = {"value": text[:MAX_QUERY_LENGTH]}
        wanted = normalize_name(text)
        name = LABEL_CODE_SUFFIX_RE.sub("", text)
        if not wanted or len(text) > MAX_QUERY_LENGTH:
            raise ValidationError(self.error_messages["not_found"], code="not_found", params=params)
        candidates = [
            result
            for result in search_territories(name, levels=self.levels, limit=MAX_LIMIT)
            if wanted
            in {
                normalize_name(result["label"]),
                normalize_name(LABEL_CODE_SUFFIX_RE.sub("", result["label"])),
            }
        ]
        if len(candidates) > 1:
            raise ValidationError(self.error_messages["ambiguous"], code="ambiguous", params=params)
        if not candidates:
            raise ValidationError(self.error_messages["not_found"], code="not_found", params=params)
        return get_territory(candidates[0]["level"], candidates[0]["code"])
