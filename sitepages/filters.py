"""Filters of the site list, the map and the GeoJSON feed (one GET form for all three).

Every filter runs in the database, so that the list, the map and the GeoJSON feed cost a fixed
number of queries whatever the number of sites. The SQL forms of the site rules it filters on (the
living-condition statuses, the completion, the last update, a territory) are the model's
(`sitepages.models.rules`, and `SitePageQuerySet`); this module holds the form.

Invalid values are reported on the form and ignored, never fatal. The procedure filter exists
only for users with `Feature.SITE_JUSTICE` somewhere, and only matches the sites where they have
it: it never reveals a procedure to someone who may not see it.
"""

from django import forms
from django.db import models
from django.db.models import Q, Value
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from directory import perms
from directory.fields import TerritoryField
from directory.models import normalize_name
from directory.permission_matrix import Feature, Scope
from sitepages import hooks, resorption
from sitepages.enums import (
    FieldType,
    LivingConditionStatus,
    LivingConditionTheme,
    Origin,
    PoliceAssistanceStatus,
)

SEARCH_MAX_LENGTH = 200

BAD = LivingConditionStatus.BAD.value
TO_IMPROVE = LivingConditionStatus.TO_IMPROVE.value

# --- Status, population, sort choices ------------------------------------------------------------

STATUS_OPEN = "ouverts"
STATUS_CLOSED = "fermes"
STATUS_RESORBED = "resorbes"
STATUS_ALL = "tous"
STATUS_CHOICES = [
    (STATUS_OPEN, _("Open sites")),
    (STATUS_CLOSED, _("Closed sites (resorbed included)")),
    (STATUS_RESORBED, _("Resorbed sites")),
    (STATUS_ALL, _("All sites")),
]

POPULATION_BRACKETS = {
    "inconnue": (_("Unknown number"), Q(people__isnull=True)),
    "moins-10": (_("Fewer than 10 people"), Q(people__lt=10)),
    "10-49": (_("10 to 49 people"), Q(people__gte=10, people__lte=49)),
    "50-99": (_("50 to 99 people"), Q(people__gte=50, people__lte=99)),
    "100-plus": (_("100 people or more"), Q(people__gte=100)),
}

CONDITION_LEVELS = [(BAD, _("Bad")), (TO_IMPROVE, _("To improve"))]

PROCEDURES = {
    "plainte": (_("Owner complaint"), Q(owner_complaint=True)),
    "procedure": (_("Justice procedure"), Q(justice_procedure=True)),
    "decision": (_("Decision rendered"), Q(justice_decision=True)),
    "concours-force-publique": (
        _("Police assistance requested or granted"),
        Q(
            police_assistance__in=[
                PoliceAssistanceStatus.REQUESTED,
                PoliceAssistanceStatus.GRANTED,
            ]
        ),
    ),
    "expulsion": (_("Administrative eviction order"), Q(eviction_order=True)),
    "insalubrite": (_("Insalubrity order"), ~Q(insalubrity_order_type="")),
}

SORT_UPDATED = "actualisation"
SORT_POPULATION = "population"
SORT_COMMUNE = "commune"
SORT_DECLARED = "signalement"
SORT_CHOICES = [
    (SORT_UPDATED, _("Most recently updated first")),
    (SORT_POPULATION, _("Largest population first")),
    (SORT_COMMUNE, _("Commune, A to Z")),
    (SORT_DECLARED, _("Most recently declared first")),
]
SORT_ORDERS = {
    SORT_UPDATED: [models.F("last_update").desc(nulls_last=True), "commune__name", "pk"],
    SORT_POPULATION: [models.F("people").desc(nulls_last=True), "commune__name", "pk"],
    SORT_COMMUNE: ["commune__name", "title", "pk"],
    SORT_DECLARED: [models.F("declared_at").desc(), "commune__name", "pk"],
}


# --- Text search ---------------------------------------------------------------------------------

# Upper-case letters too: lower() only folds ASCII under some database collations.
ACCENTED = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæ" + "ÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŸŒÆ"
PLAIN = "aaaaaaceeeeiiiinooooouuuuyyoa" * 2  # œ and æ become one letter: fine for a "contains"


class _Unaccent(models.Func):
    """lower() then translate() accented letters: accent-insensitive without an extension."""

    template = "translate(lower(%(expressions)s), '" + ACCENTED + "', '" + PLAIN + "')"
    output_field = models.TextField()


def _plain(text: str) -> str:
    return text.lower().translate(str.maketrans(ACCENTED, PLAIN))


def text_q(query: str) -> Q:
    """Every word of the query is in the site's name, address, title or commune's name."""
    condition = Q()
    for word in normalize_name(query).split():
        condition &= Q(search_haystack__contains=_plain(word)) | Q(
            commune__search_name__contains=word
        )
    return condition


def search_haystack():
    return _Unaccent(
        models.functions.Concat(
            "name",
            Value(" "),
            "address",
            Value(" "),
            "title",
            output_field=models.TextField(),
        )
    )


# --- The form ------------------------------------------------------------------------------------


def _checkboxes(choices, label, help_text=""):
    return forms.MultipleChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


#: `objectif` value: the sites without a resorption target year; the years a target may take.
TARGET_NONE = "aucun"
TARGET_YEARS = (2018, 2100)

#: `perimetre` value widening the list to every site the user may consult.
PERIMETER_ALL = "tout"


def own_areas_q(user, commune_path: str = "commune") -> Q | None:
    """The user's own intervention areas, when they may list sites beyond them (a national read
    right on local areas); None when what they may list is already their territory."""
    if perms.scope_for(user, Feature.SITE_LIST) != Scope.NATIONAL:
        return None
    areas = perms.areas_of(user)
    if areas.national or not (areas.regions or areas.departments or areas.epcis or areas.communes):
        return None
    query = Q(pk__in=[])
    if areas.regions:
        query |= Q(**{f"{commune_path}__department__region_id__in": areas.regions})
    if areas.departments:
        query |= Q(**{f"{commune_path}__department_id__in": areas.departments})
    if areas.epcis:
        query |= Q(**{f"{commune_path}__epci_id__in": areas.epcis})
    if areas.communes:
        query |= Q(**{f"{commune_path}__in": areas.communes})
    return query


class SiteFilterForm(DsfrBaseForm):
    """The GET form of /sites/, /sites/carte/ and /sites/geojson/.

    Within one filter, the sites matching any checked answer are kept; filters combine with AND.
    """

    q = forms.CharField(
        label=_("Name, address or commune"),
        help_text=_("Accents and capital letters are ignored."),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    territoire = TerritoryField(
        label=_("Territory"),
        help_text=_("A region, a department, an EPCI or a commune."),
        required=False,
    )
    statut = forms.ChoiceField(
        label=_("Status"),
        choices=STATUS_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    population = _checkboxes(
        [(key, label) for key, (label, _query) in POPULATION_BRACKETS.items()],
        _("Population"),
    )
    terrain = _checkboxes(FieldType.choices, _("Field type"))
    conditions = _checkboxes(
        LivingConditionTheme.choices,
        _("Living-condition problems"),
        _("Sites where at least one of the checked themes has the status chosen below."),
    )
    niveau = _checkboxes(
        CONDITION_LEVELS,
        _("Status of these living conditions"),
        _("Both when none is checked."),
    )
    procedures = _checkboxes(
        [(key, label) for key, (label, _query) in PROCEDURES.items()],
        _("Procedures"),
    )
    origines = _checkboxes(Origin.choices, _("Origins"))
    objectif = forms.CharField(
        label=_("Resorption target year"),
        help_text=_("A year (e.g. 2027), or “aucun” for the sites without a target year."),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "list": "resorption-years"}),
    )
    demarche = _checkboxes(
        [(key, label) for key, (label, _query) in resorption.FILTER_CHOICES.items()],
        _("Resorption process"),
    )
    canicule = forms.BooleanField(label=_("Heatwave alert"), required=False)
    non_actualise = forms.BooleanField(label=_("Not updated for 6 months"), required=False)
    tri = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    perimetre = forms.ChoiceField(
        choices=[("", ""), (PERIMETER_ALL, PERIMETER_ALL)],
        required=False,
        widget=forms.HiddenInput,
    )

    #: Names that make the list "filtered" (the status has a default, the sort is not a filter).
    FILTERS = [
        "q",
        "territoire",
        "population",
        "terrain",
        "conditions",
        "procedures",
        "origines",
        "objectif",
        "demarche",
        "canicule",
        "non_actualise",
    ]

    def __init__(self, data=None, *, user, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        # The defaults show as chosen (a bound form ignores `initial`).
        for name, default in self.DEFAULTS.items():
            data.setdefault(name, default)
        super().__init__(data, **kwargs)
        self.user = user
        self.can_filter_procedures = perms.can(user, Feature.SITE_JUSTICE)
        if not self.can_filter_procedures:
            del self.fields["procedures"]
        # Filters added by the apps above (sitepages.hooks), e.g. "with / without an action".
        self.extra_filters = hooks.list_filters()
        for extra in self.extra_filters:
            self.fields[extra.name] = extra.field()
        self.is_valid()  # fills cleaned_data with the valid fields; errors stay displayed
        self._own_areas = own_areas_q(user)

    # --- Perimeter: the user's own areas by default, every site they may list on request -------

    @property
    def can_widen(self) -> bool:
        """The user may list sites beyond their own areas."""
        return self._own_areas is not None

    @property
    def widened(self) -> bool:
        return self.cleaned_data.get("perimetre") == PERIMETER_ALL

    @property
    def restricted_to_own_areas(self) -> bool:
        """A chosen territory is shown whole (within what the user may list)."""
        return self.can_widen and not self.widened and self.territory is None

    def own_area_names(self) -> list[str]:
        return [area.territory.name for area in perms.areas_of(self.user).rows]

    # --- Cleaned values ---------------------------------------------------------------------

    def clean_objectif(self):
        value = (self.cleaned_data.get("objectif") or "").strip().lower()
        if not value or value == TARGET_NONE:
            return value
        if not value.isdigit() or not TARGET_YEARS[0] <= int(value) <= TARGET_YEARS[1]:
            raise forms.ValidationError(
                _("Enter a year between %(first)s and %(last)s, or “aucun”.")
                % {"first": TARGET_YEARS[0], "last": TARGET_YEARS[1]}
            )
        return int(value)

    def target_years(self) -> list[int]:
        """Suggested years (this year and the next five) for the field's list."""
        year = timezone.localdate().year
        return list(range(year, year + 6))

    @property
    def status(self) -> str:
        return self.cleaned_data.get("statut") or STATUS_OPEN

    @property
    def sort(self) -> str:
        return self.cleaned_data.get("tri") or SORT_UPDATED

    @property
    def territory(self):
        return self.cleaned_data.get("territoire")

    DEFAULTS = {"statut": STATUS_OPEN, "tri": SORT_UPDATED}

    #: Filters folded under "More filters": unfolded when one of them is used or invalid.
    ADVANCED = [
        "population",
        "terrain",
        "conditions",
        "niveau",
        "procedures",
        "origines",
        "objectif",
        "demarche",
        "canicule",
        "non_actualise",
    ]

    @property
    def advanced_open(self) -> bool:
        names = [*self.ADVANCED, *(extra.name for extra in self.extra_filters)]
        return any(self.cleaned_data.get(name) or name in self.errors for name in names)

    def is_filtered(self) -> bool:
        names = [*self.FILTERS, *(extra.name for extra in self.extra_filters)]
        return self.status != STATUS_OPEN or any(self.cleaned_data.get(name) for name in names)

    def extra_fields(self):
        return [self[extra.name] for extra in self.extra_filters]

    # --- Filtering --------------------------------------------------------------------------

    def filter(self, queryset):
        """`queryset` (SitePage, already limited to what the user may list) filtered."""
        data = self.cleaned_data
        status = self.status
        if status == STATUS_OPEN:
            queryset = queryset.open()
        elif status == STATUS_CLOSED:
            queryset = queryset.closed()
        elif status == STATUS_RESORBED:
            queryset = queryset.resorbed()
        if self.restricted_to_own_areas:
            queryset = queryset.filter(self._own_areas)
        if self.territory is not None:
            queryset = queryset.in_territory(self.territory)
        if data.get("q"):
            queryset = queryset.alias(search_haystack=search_haystack()).filter(text_q(data["q"]))
        if data.get("population"):
            queryset = queryset.filter(
                _any(POPULATION_BRACKETS[key][1] for key in data["population"])
            )
        if data.get("terrain"):
            queryset = queryset.filter(field_type__in=data["terrain"])
        if data.get("conditions"):
            levels = data.get("niveau") or [BAD, TO_IMPROVE]
            queryset = queryset.with_condition_statuses(data["conditions"]).filter(
                _any(Q(**{f"status_{theme}__in": levels}) for theme in data["conditions"])
            )
        if data.get("procedures") and self.can_filter_procedures:
            # Only where the user may see procedures: the filter reveals nothing elsewhere.
            queryset = queryset.filter(
                perms.scope_q(self.user, Feature.SITE_JUSTICE, "commune"),
                _any(PROCEDURES[key][1] for key in data["procedures"]),
            )
        if data.get("origines"):
            queryset = queryset.filter(origins__overlap=data["origines"])
        if data.get("objectif") == TARGET_NONE:
            queryset = queryset.filter(resorption_target_year__isnull=True)
        elif data.get("objectif"):
            queryset = queryset.filter(resorption_target_year=data["objectif"])
        if data.get("demarche"):
            queryset = queryset.filter(
                _any(resorption.FILTER_CHOICES[key][1] for key in data["demarche"])
            )
        if data.get("canicule"):
            queryset = queryset.filter(heatwave=True)
        if data.get("non_actualise"):
            queryset = queryset.stale()
        for extra in self.extra_filters:
            if data.get(extra.name):
                queryset = extra.apply(queryset, data[extra.name], self.user)
        return queryset

    def order(self, queryset):
        return queryset.with_last_update().order_by(*SORT_ORDERS[self.sort])


def _any(conditions) -> Q:
    """OR of the conditions (at least one)."""
    result = None
    for condition in conditions:
        result = condition if result is None else result | condition
    return result if result is not None else Q(pk__in=[])
