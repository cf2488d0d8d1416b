"""Forms of the organisation administration (create, edit, deactivate, reactivate)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from directory import perms
from directory.enums import OrganizationCategory
from directory.fields import TerritoryField
from directory.models import Department, OrganizationType
from directory.services.organizations import FIELDS, NATION_KEY, namesakes, version

REASON_MAX_LENGTH = 2000
#: How many secondary intervention areas an organisation may have (from this form).
MAX_OTHER_AREAS = 10
#: Empty secondary area fields offered beyond the existing ones.
EMPTY_OTHER_AREAS = 2
OTHER_AREA_PREFIX = "other_area_"
FIRST_FUNDING_YEAR = 1990


class OrganizationTypeField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class OrganizationForm(DsfrBaseForm):
    """Name, category, type, State funding and intervention areas of an organisation.

    The areas are a main area (the whole country or a territory) and up to `MAX_OTHER_AREAS`
    other territories; an administrator may only choose territories within their own.
    """

    name = forms.CharField(label=_("Name"), max_length=255)
    abbreviation = forms.CharField(
        label=_("Abbreviation"),
        max_length=50,
        required=False,
        help_text=_("For example: DDETS, CCAS."),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("Choose a category")), *OrganizationCategory.choices],
        error_messages={
            "required": _("Choose the category of the organisation."),
            "invalid_choice": _("Choose a category from the list."),
        },
    )
    type = OrganizationTypeField(
        label=_("Type"),
        queryset=OrganizationType.objects.order_by("category", "name"),
        empty_label=_("Choose a type"),
        error_messages={
            "required": _("Choose the type of the organisation."),
            "invalid_choice": _("Choose a type from the list."),
        },
    )
    is_state_funded = forms.BooleanField(label=_("Funded by the State"), required=False)
    state_funded_year = forms.IntegerField(
        label=_("Year of State funding"),
        help_text=_("Only for an organisation funded by the State. Format: 2024"),
        required=False,
        error_messages={"invalid": _("Enter a year, for example 2024.")},
    )
    national = forms.BooleanField(
        label=_("The whole country (national organisation)"), required=False
    )
    main_area = TerritoryField(
        label=_("Or its main territory"),
        help_text=_("A region, a department, an EPCI or a commune."),
        required=False,
    )
    #: The organisation's `version` when the form was opened (edit form only).
    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    error_messages = {
        "type_category_mismatch": _("This type does not belong to the chosen category."),
        "year_without_funding": _(
            "Tick “Funded by the State”, or leave the year of State funding empty."
        ),
        "year_range": _("Enter a year between %(first)s and %(last)s."),
        "area_both": _("Choose either the whole country or a territory."),
        "area_missing": _("Choose the main territory of the organisation, or the whole country."),
        "outside": _("This territory is outside of your own territory."),
        "national_outside": _("Only national administrators may create national organisations."),
        "duplicate": _("An organisation named “%(name)s” already exists in %(places)s."),
    }

    def __init__(self, *args, admin, organization=None, **kwargs):
        self.admin = admin
        self.organization = organization
        initial = kwargs.setdefault("initial", {})
        other_territories = []
        if organization is not None:
            areas = list(
                organization.intervention_areas.select_related(
                    "region", "department", "epci", "commune"
                )
            )
            main = next((area for area in areas if area.is_main), areas[0] if areas else None)
            other_territories = [area.territory for area in areas if area is not main]
            for field in FIELDS:
                initial.setdefault(field, getattr(organization, field))
            initial.setdefault("version", version(organization))
            if main is not None:
                initial.setdefault("national", main.territory is None)
                initial.setdefault("main_area", main.territory)
            other_territories = [territory for territory in other_territories if territory]
        super().__init__(*args, **kwargs)
        count = min(
            MAX_OTHER_AREAS,
            max(len(other_territories) + EMPTY_OTHER_AREAS, self._posted_other_areas()),
        )
        for index in range(1, count + 1):
            name = f"{OTHER_AREA_PREFIX}{index}"
            self.fields[name] = TerritoryField(
                label=_("Other territory %(number)s") % {"number": index},
                required=False,
            )
            if index <= len(other_territories):
                self.initial.setdefault(name, other_territories[index - 1])

    def _posted_other_areas(self) -> int:
        """How many secondary area fields were posted (to keep them all on a redisplay)."""
        if not self.is_bound:
            return 0
        highest = 0
        prefix = self.add_prefix(OTHER_AREA_PREFIX)
        for key in self.data:
            if key.startswith(prefix):
                number = key[len(prefix) :].split("_", 1)[0]
                if number.isdigit():
                    highest = max(highest, int(number))
        return highest

    @property
    def other_area_fields(self):
        return [self[name] for name in self.fields if name.startswith(OTHER_AREA_PREFIX)]

    @property
    def main_fields(self):
        return [self[name] for name in FIELDS]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(self.fields["name"].error_messages["required"], code="required")
        return name

    def clean_abbreviation(self):
        return " ".join(self.cleaned_data["abbreviation"].split())

    def clean_state_funded_year(self):
        year = self.cleaned_data.get("state_funded_year")
        last = timezone.localdate().year + 1
        if year is not None and not FIRST_FUNDING_YEAR <= year <= last:
            raise ValidationError(
                self.error_messages["year_range"],
                code="year_range",
                params={"first": FIRST_FUNDING_YEAR, "last": last},
            )
        return year

    def clean(self):
        data = super().clean()
        category, organization_type = data.get("category"), data.get("type")
        if category and organization_type and organization_type.category != category:
            self.add_error("type", self.error_messages["type_category_mismatch"])
        if data.get("state_funded_year") is not None and not data.get("is_state_funded"):
            self.add_error("state_funded_year", self.error_messages["year_without_funding"])
        territories = self._clean_areas(data)
        data["territories"] = territories
        if territories is not None and data.get("name"):
            self._check_duplicates(data["name"], territories)
        return data

    def _clean_areas(self, data):
        """The chosen territories, main area first (None = the nation); None when invalid."""
        if "main_area" in self.errors:
            return None
        national, main = data.get("national"), data.get("main_area")
        if national and main is not None:
            self.add_error("main_area", self.error_messages["area_both"])
            return None
        if not national and main is None:
            self.add_error("main_area", self.error_messages["area_missing"])
            return None
        if national and not perms.can_place_organization(self.admin, None):
            self.add_error("national", self.error_messages["national_outside"])
            return None
        if main is not None and not perms.can_place_organization(self.admin, main):
            self.add_error("main_area", self.error_messages["outside"])
            return None
        territories = [main]
        valid = True
        for bound in self.other_area_fields:
            if bound.name in self.errors:
                valid = False
                continue
            territory = data.get(bound.name)
            if territory is None:
                continue
            if not perms.can_place_organization(self.admin, territory):
                self.add_error(bound.name, self.error_messages["outside"])
                valid = False
                continue
            territories.append(territory)
        return territories if valid else None

    def _check_duplicates(self, name, territories):
        clashes = namesakes(
            name=name,
            territories=territories,
            exclude_pk=self.organization.pk if self.organization else None,
        )
        if not clashes:
            return
        codes = set().union(*(common for _organization, common in clashes))
        places = [str(department) for department in Department.objects.filter(code__in=codes)]
        if NATION_KEY in codes:
            places.insert(0, str(_("the whole country")))
        self.add_error(
            "name",
            ValidationError(
                self.error_messages["duplicate"],
                code="duplicate",
                params={"name": name, "places": ", ".join(places)},
            ),
        )

    def rebase(self, current_version: str) -> None:
        """Base the (bound) form on the organisation's current version: saving it again
        keeps its input."""
        self.data = self.data.copy()
        self.data["version"] = current_version

    def organization_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in FIELDS}


class DeactivateOrganizationForm(DsfrBaseForm):
    reason = forms.CharField(
        label=_("Reason for the deactivation"),
        help_text=_("Kept in the history of the organisation, visible to administrators only."),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for the deactivation.")},
    )

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(self.fields["reason"].error_messages["required"])
        return reason

    def clean(self):
        data = super().clean()
        if self.organization is not None and not self.organization.is_active:
            raise ValidationError(_("This organisation is already inactive."))
        return data


class ReactivateOrganizationForm(DsfrBaseForm):
    reason = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean(self):
        data = super().clean()
        if self.organization is not None and self.organization.is_active:
            raise ValidationError(_("This organisation is active."))
        return data
