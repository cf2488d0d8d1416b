"""Forms of the administrators' list of the accounts of their territory."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from directory.enums import Role, UserStatus
from directory.models import Organization
from directory.services import territory_accounts as services


class AccountFilterForm(DsfrBaseForm):
    """The GET form of the list. Invalid fields are reported and ignored, never fatal."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *UserStatus.choices], required=False
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("All roles")), *Role.choices], required=False
    )
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.none(),
        empty_label=_("All organisations"),
        required=False,
    )
    last_access = forms.ChoiceField(
        label=_("Last access"),
        choices=[
            ("", _("Any")),
            (services.ACCESS_NEVER, _("Never")),
            (services.ACCESS_3_MONTHS, _("More than 3 months ago, or never")),
            (services.ACCESS_6_MONTHS, _("More than 6 months ago, or never")),
        ],
        required=False,
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations

    def filters(self) -> dict:
        """The valid filters (an invalid one is ignored)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            name: data[name]
            for name in ("status", "role", "organization", "last_access")
            if data.get(name) and name not in self.errors
        }
