"""Form widgets of the directory app."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _

from directory.enums import TerritoryLevel
from directory.services.territories import (
    LEVELS,
    MIN_QUERY_LENGTH,
    territory_from_value,
    territory_label,
)


class TerritoryAutocompleteWidget(forms.Widget):
    """A DSFR text input with an accessible list of suggestions (ARIA 1.2 combobox pattern).

    It posts three values: `<name>` (hidden, `level:code` of the chosen territory, e.g.
    `commune:69123`), `<name>_search` (the visible text) and `<name>_label` (hidden, the label that
    went with the chosen territory). Without JavaScript, the visible input is a plain text input:
    `TerritoryField` then resolves the typed name, or explains why it cannot.

    The page must include the form's media (`{{ form.media }}`): the script and its stylesheet.
    """

    template_name = "directory/widgets/territory_autocomplete.html"
    search_suffix = "_search"
    label_suffix = "_label"

    class Media:
        css = {"all": ["css/combobox.css"]}
        js = ["js/combobox.js", "js/territory-autocomplete.js"]

    def __init__(self, attrs=None, levels=None):
        super().__init__(attrs)
        self.levels = [TerritoryLevel(level) for level in (levels or LEVELS)]

    def value_from_datadict(self, data, files, name):
        """`level:code` when a suggestion was chosen and its label kept, else the typed text."""
        value = (data.get(name) or "").strip()
        text = (data.get(name + self.search_suffix) or "").strip()
        label = (data.get(name + self.label_suffix) or "").strip()
        if value and (text == label or name + self.search_suffix not in data):
            return value
        return text

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + self.search_suffix not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        territory = territory_from_value(value, self.levels)
        if territory is not None:
            widget["hidden_value"] = f"{territory.level}:{territory.pk}"
            widget["text_value"] = widget["selected_label"] = territory_label(territory)
        else:
            # A bound form showing back what was typed, or a value that matches no territory.
            widget["hidden_value"] = widget["selected_label"] = ""
            widget["text_value"] = value if isinstance(value, str) and ":" not in value else ""
        base_id = widget["attrs"].get("id") or name
        widget["attrs"] = {
            "class": "fr-input",
            **widget["attrs"],
            "role": "combobox",
            "aria-autocomplete": "list",
            "aria-expanded": "false",
            "aria-controls": f"{base_id}_listbox",
            "autocomplete": "off",
            "spellcheck": "false",
        }
        widget.update(
            search_name=name + self.search_suffix,
            label_name=name + self.label_suffix,
            listbox_id=f"{base_id}_listbox",
            status_id=f"{base_id}_status",
            hint_id=f"{base_id}_combobox_hint",
            url=reverse("territory_autocomplete"),
            levels=",".join(self.levels),
            min_chars=MIN_QUERY_LENGTH,
            level_labels={level.value: level.label for level in self.levels},
            messages={
                "hint": _(
                    "Type at least %(count)d characters, then choose a territory in the list "
                    "with the up and down arrow keys and Enter."
                )
                % {"count": MIN_QUERY_LENGTH},
                "too_short": _("Type at least %(count)d characters.") % {"count": MIN_QUERY_LENGTH},
                "none": _("No territory found."),
                "one": _("1 suggestion available."),
                # {count} is replaced by the script.
                "many": _("{count} suggestions available."),
                "error": _("The search is unavailable for now. Try again in a moment."),
                "listbox": _("Suggested territories"),
            },
        )
        return context

    def id_for_label(self, id_):
        return id_
