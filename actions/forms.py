"""Forms of the actions: the action itself, its operators, finances and yearly indicators, and
the filters of the list. French messages come from the catalogue (English msgids)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from actions import indicators, perms
from actions.enums import ActionStatus, ActionTopic, LocationType
from actions.models import Action, ActionFinance, ActionIndicators, check_operators
from actions.snapshots import FIELDS
from directory.fields import TerritoryField
from directory.models import Organization, User
from sitepages.forms.fields import DateInput
from sitepages.models import SitePage

EMAIL_SPLIT_RE = re.compile(r"[\s,;]+")


class UsersByEmailField(forms.CharField):
    """Active users of the platform, given by their email addresses (one per line)."""

    widget = forms.Textarea(attrs={"rows": 3})
    default_error_messages = {
        "unknown": _("No active user has the email address %(emails)s."),
    }

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(user.email if isinstance(user, User) else str(user) for user in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        emails = [email for email in EMAIL_SPLIT_RE.split(value or "") if email]
        if not emails:
            return []
        users = {
            user.email.lower(): user
            for user in User.objects.active().filter(
                email__iregex=r"^(" + "|".join(re.escape(email) for email in emails) + r")$"
            )
        }
        unknown = [email for email in emails if email.lower() not in users]
        if unknown:
            raise ValidationError(
                self.error_messages["unknown"],
                code="unknown",
                params={"emails": ", ".join(unknown)},
            )
        return list({users[email.lower()].pk: users[email.lower()] for email in emails}.values())

    def validate(self, value):
        if not value and self.required:
            raise ValidationError(self.error_messages["required"], code="required")


#: The location questions, and the location type that asks each (the others clear it).
LOCATION_QUESTIONS = {
    "location_address": LocationType.INTEGRATION_SPACE,
    "location_commune": LocationType.INTEGRATION_SPACE,
    "location_other": LocationType.OTHER,
}


def _sites_by_department(sites) -> list:
    """The offered sites grouped by department (« 93 — Seine-Saint-Denis »), for the select."""
    groups: dict = {}
    for site in sites.select_related("commune__department").order_by(
        "commune__department_id", "title"
    ):
        department = site.commune.department
        label = f"{department.code} — {department.name}"
        groups.setdefault(label, []).append((site.pk, site.title))
    return list(groups.items())


class ActionForm(DsfrBaseForm, forms.ModelForm):
    location_commune = TerritoryField(
        levels=["commune"],
        label=_("Commune of the integration space"),
        required=False,
    )
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites"),
        help_text=_("Sites of the action's department. Keep Ctrl pressed to choose several."),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    pilots = UsersByEmailField(
        label=_("Pilots"),
        help_text=_("Email addresses of users of the platform, one per line (at least one)."),
        error_messages={"required": _("Choose at least one pilot.")},
    )

    class Meta:
        model = Action
        # The action's own fields (pilots and operators are set apart: `pilots`, the formset).
        fields = [name for name in FIELDS if name not in ("pilots", "operators")]
        widgets = {
            "started_at": DateInput,
            "ended_at": DateInput,
            "location_type": forms.RadioSelect,
            "goals": forms.Textarea(attrs={"rows": 4}),
            "location_other": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

        self.user = user
        action = self.instance
        departments = perms.creatable_departments(user)
        if action.pk:
            departments = departments | type(action.department).objects.filter(
                pk=action.department_id
            )
        self.fields["department"].queryset = departments.distinct().order_by("code")
        self.fields["topics"].required = False  # the model's message: "Choose at least one"
        self.fields["topics"].error_messages["required"] = _("Choose at least one topic.")
        sites = SitePage.objects.live().visible_to(user).select_related("commune")
        sites = sites.filter(commune__department__in=self.fields["department"].queryset)
        # The current sites the user may not list are neither offered nor named (not even by
        # their title in the form): they stay linked, untouched (see `clean`).
        self.hidden_sites = []
        if action.pk:
            self.hidden_sites = list(
                action.sites.exclude(pk__in=sites.values("pk")).select_related("commune")
            )
        self.fields["sites"].queryset = sites.order_by("title")
        self.fields["sites"].label_from_instance = lambda site: site.title
        self.fields["sites"].choices = _sites_by_department(sites)
        if action.pk:
            self.initial.setdefault("pilots", list(action.pilots.all()))
            if action.location_commune_id:
                self.initial.setdefault("location_commune", action.location_commune)
        elif self.initial.get("pilots") is None:
            self.initial["pilots"] = [user]

    def clean_location_commune(self):
        return self.cleaned_data.get("location_commune")

    def clean(self):
        cleaned = super().clean()
        # The questions the chosen location type does not ask are cleared (they are hidden in
        # the browser, and shown without JavaScript): an action on sites keeps no address.
        location_type = cleaned.get("location_type")
        for name, asked_by in LOCATION_QUESTIONS.items():
            if location_type and location_type != asked_by and name in cleaned:
                cleaned[name] = (
                    self.fields[name].to_python("") if name != "location_commune" else None
                )
                setattr(self.instance, name, cleaned[name])
        if location_type and location_type != LocationType.SITES:
            cleaned["sites"] = []
            return cleaned
        department = cleaned.get("department")
        sites = cleaned.get("sites") or []
        if department is not None and sites:
            others = [site for site in sites if site.commune.department_id != department.pk]
            if others:
                self.add_error("sites", _("Choose only sites of the action's department."))
        if cleaned.get("location_type") == LocationType.SITES and "sites" in cleaned and not sites:
            if not self.hidden_sites:
                self.add_error("sites", _("Choose at least one site."))
        if "sites" in cleaned:
            cleaned["sites"] = [*sites, *self.hidden_sites]
        return cleaned


class OperatorForm(DsfrBaseForm, forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organization.objects.none(), required=False
    )
    is_principal = forms.BooleanField(label=_("Principal operator"), required=False)


class BaseOperatorFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = Organization.objects.filter(is_active=True).order_by("name")
        for form in self.forms:
            form.fields["organization"].queryset = organizations

    def rows(self) -> list[tuple]:
        return [
            (form.cleaned_data["organization"], form.cleaned_data.get("is_principal", False))
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and form.cleaned_data.get("organization") is not None
            and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        messages = check_operators(self.rows())
        if messages:
            raise ValidationError(messages)


OperatorFormSet = forms.formset_factory(
    OperatorForm, formset=BaseOperatorFormSet, extra=2, can_delete=True
)


def operator_initial(action) -> list[dict]:
    return [
        {"organization": row.organization_id, "is_principal": row.is_principal}
        for row in action.operator_rows.all()
    ]


# --- Finances -----------------------------------------------------------------------------------


class FinanceForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = ActionFinance
        fields = ["year", "finance_type", "planned_amount", "spent_amount", "comment"]

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.action = action
        self.fields["year"] = forms.TypedChoiceField(
            label=_("Year"),
            choices=[("", "---------")] + [(year, year) for year in action.years],
            coerce=int,
            required=False,
        )
        self.fields["finance_type"].required = False

    def has_changed(self):
        return super().has_changed()

    def clean(self):
        cleaned = super().clean()
        if self.has_changed() and not cleaned.get("DELETE"):
            if not cleaned.get("year"):
                self.add_error("year", _("Choose a year."))
            if not cleaned.get("finance_type"):
                self.add_error("finance_type", _("Choose a type of funding."))
        return cleaned


class BaseFinanceFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, action, **kwargs):
        self.action = action
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "action": self.action}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            action=self.action,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or not form.has_changed() and not form.instance.pk:
                continue
            key = (data.get("year"), data.get("finance_type"))
            if key in seen:
                form.add_error(
                    "finance_type", _("This type of funding is already given for this year.")
                )
            seen.add(key)

    def validate_unique(self):
        pass  # the rows are replaced as a whole (`services.save_finances`)

    def rows(self) -> list[ActionFinance]:
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or not data.get("year"):
                continue
            rows.append(
                ActionFinance(
                    action=self.action,
                    year=data["year"],
                    finance_type=data["finance_type"],
                    planned_amount=data.get("planned_amount"),
                    spent_amount=data.get("spent_amount"),
                    comment=data.get("comment") or "",
                )
            )
        return rows


FinanceFormSet = forms.modelformset_factory(
    ActionFinance, form=FinanceForm, formset=BaseFinanceFormSet, extra=3, can_delete=True
)


# --- Indicators ---------------------------------------------------------------------------------


class IndicatorsForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = ActionIndicators
        fields = indicators.FIELDS

    def groups(self):
        return [
            {"title": title, "fields": [self[name] for name in names]}
            for title, names in indicators.GROUPS
        ]


# --- Filters of the list ------------------------------------------------------------------------


class ActionFilterForm(DsfrBaseForm):
    q = forms.CharField(
        label=_("Name or goals"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    territoire = TerritoryField(
        label=_("Territory"),
        help_text=_("A region, a department, an EPCI or a commune."),
        required=False,
    )
    thematique = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=ActionTopic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    annee = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    statut = forms.MultipleChoiceField(
        label=_("Status"),
        choices=ActionStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    operateur = forms.CharField(label=_("Operator"), required=False, max_length=200)
    site = forms.IntegerField(label=_("Site"), required=False, widget=forms.HiddenInput)

    FILTERS = ["q", "territoire", "thematique", "annee", "statut", "operateur", "site"]

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        self.user = user
        self.is_valid()

    def is_filtered(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.FILTERS)

    def filter(self, queryset):
        from actions import filters

        return filters.apply(queryset, self.cleaned_data, self.user)
