"""Parsing the search page's GET parameters (never trusted, never a 500)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from search.backends.base import FACETS, SearchRequest

VALUE = re.compile(r"^[\w:.\-' ’]{1,50}$")
YEAR = re.compile(r"^\d{4}$")
MAX_VALUES = 30
PER_PAGE = 20
MAX_PAGE = 50  # deep pages are not useful and cost both backends
# Values of a facet that stand for several indexed values: the « Entraide » search box sends
# type=forum, meaning its questions and their answers.
ALIASES = {"type": {"forum": ("topic", "post")}}


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        strip=True,
        help_text=_("Words, a commune, an organisation, a person…"),
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.facet_values = {}
        for name in FACETS:
            values = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
            self.facet_values[name] = values

    def clean(self):
        cleaned = super().clean()
        filters = {}
        for name, values in self.facet_values.items():
            values = [value for value in values if value]
            pattern = YEAR if name == "year" else VALUE
            if len(values) > MAX_VALUES or not all(pattern.match(value) for value in values):
                raise ValidationError(_("Some filters are invalid and were ignored."))
            aliases = ALIASES.get(name, {})
            values = [alias for value in values for alias in aliases.get(value, (value,))]
            if values:
                filters[name] = sorted(set(values))
        cleaned["filters"] = filters
        return cleaned

    def search_request(self) -> SearchRequest:
        """The request to run: valid fields kept, invalid ones dropped."""
        data = self.cleaned_data if self.is_bound else {}
        page = data.get("page") or 1
        return SearchRequest(
            text=data.get("q") or "",
            filters=data.get("filters") or {},
            page=page,
            per_page=PER_PAGE,
        )
