"""The site form of the front end: every group of fields a field user keeps up to date.

Fields the user may not see (owners, justice) are removed from the form: they are neither shown
nor saved. Conditional questions (`validation.CONDITIONS`) carry their parent and the answers
that ask them, so that `static/js/conditional-fields.js` shows them only when relevant; the
server ignores what was typed in a question that is not asked and the model clears it.
"""

import datetime
import json

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from directory import perms
from directory.enums import TerritoryLevel
from directory.fields import TerritoryField
from directory.permission_matrix import Feature
from sitepages import validation
from sitepages.enums import LivingConditionTheme
from sitepages.field_groups import (
    HOUSING_FIELDS,
    JUSTICE_FIELDS,
    POPULATION_FIELDS,
    RESORPTION_FIELDS,
    THEME_FIELDS,
)
from sitepages.forms.fields import RemapModelErrorsMixin, formfield_for
from sitepages.models import SitePage

#: How far back the former sites offered on the form go.
FORMER_SITES_YEARS = 5

#: (identifier, title, fields, feature needed to see the section). Owners and actors are child
#: formsets shown with their section (see the template).
SECTIONS = [
    (
        "identity",
        _("Identity and location"),
        ["name", "commune", "address", "access_details", "latitude", "longitude", "field_type"],
        None,
    ),
    ("dates", _("Dates"), ["declared_at", "installed_at", "updated_at"], None),
    (
        "reinstallation",
        _("Reinstallation"),
        ["reinstallation", "reinstallation_comments", "former_sites"],
        None,
    ),
    ("owners", _("Owners"), [], Feature.SITE_OWNERS),
    (
        "social_diagnosis",
        _("Social diagnosis"),
        ["social_diagnosis_status", "social_diagnosis_at", "social_diagnosis_by"],
        None,
    ),
    (
        "population",
        _("Population"),
        [
            "people",
            "households",
            "women",
            "minors",
            "minor_girls",
            "minors_0_3",
            "minors_3_6",
            "minors_6_12",
            "minors_12_16",
            "minors_16_18",
            "minors_in_school",
            "population_updated_at",
        ],
        None,
    ),
    ("housing", _("Dwellings"), HOUSING_FIELDS, None),
    ("origins", _("Origins"), ["origins"], None),
    ("water", _("Water"), THEME_FIELDS[LivingConditionTheme.WATER], None),
    ("sanitation", _("Sanitation"), THEME_FIELDS[LivingConditionTheme.SANITATION], None),
    ("electricity", _("Electricity"), THEME_FIELDS[LivingConditionTheme.ELECTRICITY], None),
    ("waste", _("Waste"), THEME_FIELDS[LivingConditionTheme.WASTE], None),
    ("pests", _("Pests"), THEME_FIELDS[LivingConditionTheme.PESTS], None),
    ("fire_prevention", _("Fire prevention"), ["fire_prevention_diagnosis"], None),
    ("justice", _("Justice and procedures"), JUSTICE_FIELDS, Feature.SITE_JUSTICE),
    ("resorption", _("Resorption process"), RESORPTION_FIELDS, None),
    ("follow_up", _("Follow-up"), ["heatwave"], None),
    ("actors", _("Site actors"), [], None),
]
LIVING_CONDITION_SECTIONS = {
    "water",
    "sanitation",
    "electricity",
    "waste",
    "pests",
    "fire_prevention",
}
FORM_FIELDS = [name for _id, _title, names, _feature in SECTIONS for name in names]
SECTION_FIELDS = {section_id: names for section_id, _title, names, _feature in SECTIONS}
SECTION_TITLES = {section_id: title for section_id, title, _names, _feature in SECTIONS}
COORDINATE_HELP = {
    "latitude": _("In decimal degrees, for example 48.8566."),
    "longitude": _("In decimal degrees, for example 2.3522."),
}
#: The sections whose rows are a child formset.
FORMSET_SECTIONS = {"owners", "actors"}


def _js_value(value) -> str:
    """An answer as the form posts it (what the script compares)."""
    if value is True:
        return "True"
    if value is False:
        return "False"
    return str(value)


class SiteForm(RemapModelErrorsMixin, DsfrBaseForm, forms.ModelForm):
    commune = TerritoryField(
        levels=[TerritoryLevel.COMMUNE],
        label=_("Commune"),
        help_text=_("Type the name of the commune and choose it in the list."),
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SitePage
        fields = FORM_FIELDS
        formfield_callback = formfield_for
        widgets = {
            "access_details": forms.Textarea(attrs={"rows": 3}),
            "reinstallation_comments": forms.Textarea(attrs={"rows": 3}),
            "water_comments": forms.Textarea(attrs={"rows": 3}),
            "pests_details": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, feature=Feature.SITE_UPDATE, section=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.feature = feature
        #: Saving one section (edit only): the form holds that section's fields alone, so that
        #: the other answers are neither validated nor saved, and the conflict check compares
        #: that section only (`children.form_fields`).
        self.section = section
        site = self.instance
        place = site if site.commune_id else None
        self.hidden_features = {
            feature_needed
            for _id, _title, _names, feature_needed in SECTIONS
            if feature_needed and not perms.can(user, feature_needed, place)
        }
        for _id, _title, names, feature_needed in SECTIONS:
            if feature_needed in self.hidden_features:
                for name in names:
                    self.fields.pop(name, None)
        if section is not None:
            kept = set(SECTION_FIELDS[section])
            for name in list(self.fields):
                if name not in kept and name != "base_revision":
                    del self.fields[name]
        if "former_sites" in self.fields:
            self._limit_former_sites(site)
        for name in ("latitude", "longitude"):
            if name not in self.fields:
                continue
            self.fields[name].widget.attrs.update({"step": "any", "inputmode": "decimal"})
            self.fields[name].help_text = COORDINATE_HELP[name]

    def _limit_former_sites(self, site):
        """Former sites: closed in the last `FORMER_SITES_YEARS` years, in the site's department
        (any department the user may list at creation; `clean` then keeps those of the chosen
        commune's department), plus those already linked — only those the user may list: the
        others are neither named nor offered, and saving keeps them linked."""
        field = self.fields["former_sites"]
        since = timezone.localdate() - datetime.timedelta(days=365 * FORMER_SITES_YEARS)
        readable = SitePage.objects.live().visible_to(self.user)
        linked = set(site.former_sites.values_list("pk", flat=True)) if site.pk else set()
        self.linked_former_sites = linked
        self.hidden_former_sites = linked - set(
            readable.filter(pk__in=linked).values_list("pk", flat=True)
        )
        candidates = readable.filter(closed_at__gte=since)
        if site.commune_id:
            candidates = candidates.filter(commune__department_id=site.commune.department_id)
        queryset = SitePage.objects.filter(
            Q(pk__in=candidates.values("pk")) | Q(pk__in=linked - self.hidden_former_sites)
        ).select_related("commune")
        if site.pk:
            queryset = queryset.exclude(pk=site.pk)
        if self.hidden_former_sites:
            self.initial["former_sites"] = sorted(linked - self.hidden_former_sites)
        field.widget = forms.CheckboxSelectMultiple()  # before the queryset: it fills choices
        field.queryset = queryset.order_by("-closed_at", "title")
        field.label_from_instance = _former_site_label
        field.required = False
        field.label = _("Former sites")
        field.help_text = _(
            "Sites closed in the last %(years)s years whose inhabitants may have settled here."
        ) % {"years": FORMER_SITES_YEARS}

    def _clean_former_sites(self, cleaned):
        """Newly linked former sites must lie in the department of the site's commune."""
        chosen = cleaned.get("former_sites")
        commune = cleaned.get("commune") or (
            self.instance.commune if self.instance.commune_id else None
        )
        if not chosen or commune is None:
            return
        added = [former for former in chosen if former.pk not in self.linked_former_sites]
        if any(former.commune.department_id != commune.department_id for former in added):
            self.add_error(
                "former_sites",
                _("Choose former sites of the department of the site's commune."),
            )

    def apply_relations(self):
        """Put the chosen former sites on the instance (kept in its revision, like the rest),
        with those already linked that the user could not see."""
        if "former_sites" in self.fields and "former_sites" in self.cleaned_data:
            chosen = list(self.cleaned_data["former_sites"])
            if self.hidden_former_sites:
                chosen += SitePage.objects.filter(pk__in=self.hidden_former_sites)
            self.instance.former_sites.set(chosen)

    # --- Permissions --------------------------------------------------------------------------

    def may_see(self, feature) -> bool:
        return feature not in self.hidden_features

    def clean_commune(self):
        commune = self.cleaned_data["commune"]
        if commune is None:
            return commune
        unchanged = self.instance.commune_id == commune.pk
        if not unchanged and not perms.can(self.user, self.feature, commune):
            raise forms.ValidationError(
                _("You may not place a site in this commune: it is outside your territory."),
                code="outside",
            )
        return commune

    # --- Conditional questions ----------------------------------------------------------------

    def clean(self):
        cleaned = super().clean()
        if "former_sites" in self.fields:
            self._clean_former_sites(cleaned)
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None) and not (
            self.has_error("latitude") or self.has_error("longitude")
        ):
            missing = "longitude" if longitude is None else "latitude"
            self.add_error(missing, _("Give both the latitude and the longitude, or neither."))
        self._date_the_population(cleaned)
        if self.section is not None and "updated_at" not in self.fields and self.has_changed():
            # A section saved alone is an update of the site's information, as the whole form
            # (which proposes today as the update date) is.
            self.instance.updated_at = timezone.localdate()
        answers = _FormAnswers(self)
        for name in validation.CONDITIONS:
            if name in self.fields and not validation.is_relevant(name, answers):
                # Not asked: whatever was typed (even invalid) is ignored, then cleared.
                self._errors.pop(name, None)
                cleaned[name] = validation.empty_value(self.instance, name)
        return cleaned

    def _date_the_population(self, cleaned):
        """A changed population or housing figure dates the population today, unless the user
        set that date."""
        if not self.instance.pk:
            return
        changed = set(self.changed_data)
        if "population_updated_at" not in changed and changed & {
            *POPULATION_FIELDS,
            *HOUSING_FIELDS,
        }:
            if "population_updated_at" in self.fields:
                cleaned["population_updated_at"] = timezone.localdate()
            else:  # the dwellings section saved alone: the date is not one of its fields
                self.instance.population_updated_at = timezone.localdate()

    def conditional_rows(self, names):
        """The section's fields, each with what the script needs to show or hide it."""
        rows = []
        for name in names:
            if name not in self.fields:
                continue
            condition = validation.CONDITIONS.get(name)
            row = {"field": self[name], "name": name, "parent": "", "values": ""}
            if condition and condition[0] in self.fields:
                parent, values = condition
                row["parent"] = parent
                row["values"] = json.dumps(sorted(_js_value(value) for value in values))
            rows.append(row)
        return rows

    def sections(self):
        return [
            {
                "id": section_id,
                "title": title,
                "rows": self.conditional_rows(names),
                "living_conditions": section_id in LIVING_CONDITION_SECTIONS,
            }
            for section_id, title, names, feature in SECTIONS
            if (feature is None or self.may_see(feature))
            and (self.section is None or section_id == self.section)
        ]

    @classmethod
    def with_errors_of(cls, section_form, data, *, instance):
        """The whole form bound to `data` (what was posted, every section), showing only the
        errors of `section_form` — the section that was saved alone and failed."""
        whole = cls(data, instance=instance, user=section_form.user, feature=section_form.feature)
        whole._errors = section_form.errors
        whole.cleaned_data = {}
        return whole

    def section_choices(self) -> set[str]:
        """The sections this user may save alone."""
        return section_choices(self.user, self.instance)


def section_choices(user, site) -> set[str]:
    """The sections `user` may see, hence save alone, on `site`'s form (no form built)."""
    place = site if site.commune_id else None
    return {
        section_id
        for section_id, _title, _names, feature in SECTIONS
        if feature is None or perms.can(user, feature, place)
    }


def _former_site_label(site) -> str:
    closed = site.closed_at.strftime("%d/%m/%Y") if site.closed_at else ""
    return _("%(site)s (%(commune)s), closed on %(day)s") % {
        "site": site.title,
        "commune": site.commune.name,
        "day": closed,
    }


class _FormAnswers(dict):
    """The answers of a form being cleaned: cleaned values, else the stored ones."""

    def __init__(self, form):
        super().__init__()
        self.form = form

    def get(self, name, default=None):
        if name in self.form.cleaned_data:
            return self.form.cleaned_data[name]
        if name in self.form.fields:
            return None  # invalid: its questions are not asked until it is fixed
        return getattr(self.form.instance, name, default)


class VisitForm(DsfrBaseForm):
    """ "Visited, nothing changed": nothing to fill, the date is today."""
