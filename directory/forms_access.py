"""Forms of the access request flow: the public request, the decision, the activation."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from directory.enums import AccessRequestStatus, OrganizationCategory, Role
from directory.fields import TerritoryField
from directory.forms_identity import IDENTITY_ERROR_MESSAGES, IdentityFields

# Re-exported: the phone number rule lives in forms_identity now.
from directory.forms_identity import normalize_phone as normalize_phone
from directory.models import Organization, OrganizationType

REASON_MAX_LENGTH = 3000
#: Name of the honeypot field: hidden from people, filled in by naive bots.
HONEYPOT_FIELD = "extra_info"


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.abbreviation})" if obj.abbreviation else obj.name


class OrganizationTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AccessRequestForm(IdentityFields):
    """The public form: who you are, your organisation, where you act and why."""

    ORGANIZATION_EXISTING = "existing"
    ORGANIZATION_NEW = "new"
    SCOPE_LOCAL = "local"
    SCOPE_NATIONAL = "national"

    # The identity fields come from IdentityFields; the email address is also the login.
    email = forms.EmailField(
        label=_("Professional email address"),
        max_length=254,
        help_text=_("It will be your login. Format: name@example.fr"),
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    position = forms.CharField(
        label=_("Position"),
        max_length=200,
        help_text=_("For example: head of the housing department, social worker."),
        widget=forms.TextInput({"autocomplete": "organization-title"}),
    )
    organization_kind = forms.ChoiceField(
        label=_("Is your organisation in the list?"),
        choices=[
            (ORGANIZATION_EXISTING, _("My organisation is in the list")),
            (ORGANIZATION_NEW, _("My organisation is not in the list")),
        ],
        initial=ORGANIZATION_EXISTING,
        widget=forms.RadioSelect,
    )
    organization = OrganizationChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.active().order_by("name"),
        empty_label=_("Choose your organisation"),
        error_messages={
            "required": _("Choose your organisation in the list."),
            "invalid_choice": _("Choose an organisation from the list."),
        },
    )
    new_organization_name = forms.CharField(
        label=_("Name of your organisation"),
        max_length=255,
        error_messages={"required": _("Give the name of your organisation.")},
    )
    new_organization_category = forms.ChoiceField(
        label=_("Category of your organisation"),
        choices=[("", _("Choose a category")), *OrganizationCategory.choices],
        error_messages={
            "required": _("Choose the category of your organisation."),
            "invalid_choice": _("Choose a category from the list."),
        },
    )
    new_organization_type = OrganizationTypeChoiceField(
        label=_("Type of your organisation"),
        queryset=OrganizationType.objects.order_by("category", "name"),
        empty_label=_("Choose a type"),
        error_messages={
            "required": _("Choose the type of your organisation."),
            "invalid_choice": _("Choose a type from the list."),
        },
    )
    territory_scope = forms.ChoiceField(
        label=_("Where do you act?"),
        choices=[
            (SCOPE_LOCAL, _("In a region, a department, an EPCI or a commune")),
            (SCOPE_NATIONAL, _("In the whole country")),
        ],
        initial=SCOPE_LOCAL,
        widget=forms.RadioSelect,
    )
    territory = TerritoryField(
        label=_("Territory"),
        help_text=_("The region, department, EPCI or commune where you act."),
        error_messages={"required": _("Choose the territory where you act.")},
    )
    reason = forms.CharField(
        label=_("Why do you need access to the platform?"),
        max_length=REASON_MAX_LENGTH,
        help_text=_(
            "Your role in the resorption of slums, the sites you follow… (3,000 characters at most)"
        ),
        widget=forms.Textarea({"rows": 6}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the information above is used to examine my request and, if it is "
            "approved, to create my account."
        ),
        error_messages={"required": _("Please tick this box to send your request.")},
    )
    extra_info = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        template_name="directory/access/honeypot_field.html",
        widget=forms.TextInput({"autocomplete": "off", "tabindex": "-1"}),
    )

    error_messages = {
        **IDENTITY_ERROR_MESSAGES,
        "type_category_mismatch": _("This type does not belong to the chosen category."),
        "organization_exists": _("This organisation is already in the list: choose it there."),
    }

    #: Fields required only for one answer to the question before them (the others are not).
    CONDITIONAL_FIELDS = {
        ("organization_kind", ORGANIZATION_EXISTING): ("organization",),
        ("organization_kind", ORGANIZATION_NEW): (
            "new_organization_name",
            "new_organization_category",
            "new_organization_type",
        ),
        ("territory_scope", SCOPE_LOCAL): ("territory",),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every conditional field is shown as required (none is optional for whoever sees it);
        # once the answers are posted, only the fields of the chosen answers are.
        self.irrelevant_fields = set()
        if self.is_bound:
            for (question, answer), fields in self.CONDITIONAL_FIELDS.items():
                if self.data.get(question) != answer:
                    self.irrelevant_fields.update(fields)
            for name in self.irrelevant_fields:
                self.fields[name].required = False

    @property
    def honeypot_filled(self) -> bool:
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())

    def clean(self):
        data = super().clean()
        for name in self.irrelevant_fields:  # left over from an answer changed since
            self._errors.pop(name, None)
            data[name] = None
        if data.get("organization_kind") == self.ORGANIZATION_NEW:
            self._clean_new_organization(data)
        else:
            data["new_organization_name"] = data["new_organization_category"] = ""
        return data

    def _clean_new_organization(self, data):
        name = data.get("new_organization_name") or ""
        category = data.get("new_organization_category")
        organization_type = data.get("new_organization_type")
        if category and organization_type and organization_type.category != category:
            self.add_error(
                "new_organization_type",
                ValidationError(
                    self.error_messages["type_category_mismatch"], code="type_category_mismatch"
                ),
            )
        if name and Organization.objects.active().filter(name__iexact=name).exists():
            self.add_error(
                "new_organization_name",
                ValidationError(
                    self.error_messages["organization_exists"], code="organization_exists"
                ),
            )

    def access_request_data(self) -> dict:
        """Keyword arguments for services.access_requests.request_access."""
        data = {"reason": "", **self.cleaned_data}
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"],
            "phone": data["phone"],
            "position": data["position"].strip(),
            "organization": data["organization"],
            "new_organization_name": data["new_organization_name"],
            "new_organization_category": data["new_organization_category"],
            "new_organization_type": data["new_organization_type"],
            "territory": data["territory"],
            "reason": data["reason"].strip(),
        }


class ApproveForm(DsfrBaseForm):
    role = forms.ChoiceField(
        label=_("Role of the new account"),
        help_text=_("The role decides what the user may see and do on the platform."),
        error_messages={"invalid_choice": _("Choose a role from the list.")},
    )

    def __init__(self, *args, roles, initial_role=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role, Role(role).label) for role in roles]
        if initial_role in roles:
            self.fields["role"].initial = initial_role


class RefuseForm(DsfrBaseForm):
    message = forms.CharField(
        label=_("Message to the applicant"),
        max_length=REASON_MAX_LENGTH,
        help_text=_("Explain why: the applicant receives this message by email."),
        widget=forms.Textarea({"rows": 4}),
        error_messages={"required": _("Explain your decision to the applicant.")},
    )

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise ValidationError(self.fields["message"].error_messages["required"])
        return message


class AccessRequestFilterForm(DsfrBaseForm):
    """The filters of the administrators' list (GET)."""

    ALL = "all"

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[*AccessRequestStatus.choices, (ALL, _("All statuses"))],
        required=False,
    )
    q = forms.CharField(
        label=_("Name, email address or organisation"),
        max_length=100,
        required=False,
        widget=forms.TextInput({"type": "search"}),
    )


class ActivationForm(DsfrBaseForm, auth_forms.SetPasswordForm):
    """Choose the password of the new account (Django's password validators apply)."""


class AdminAccountForm(AccessRequestForm):
    """An administrator creates an account for someone: the fields of an access request (and
    its rules), the role instead of the reason."""

    role = forms.ChoiceField(
        label=_("Role of the new account"),
        help_text=_("The role decides what the user may see and do on the platform."),
        error_messages={"invalid_choice": _("Choose a role from the list.")},
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("reason", "consent", HONEYPOT_FIELD):
            del self.fields[name]
        self.fields["role"].choices = [("", _("Choose a role"))] + [
            (role, Role(role).label) for role in roles
        ]
        self.fields["role"].error_messages["required"] = _("Choose the role of the account.")

    def account_data(self) -> dict:
        """Keyword arguments for services.access_requests.create_account."""
        data = self.access_request_data()
        data.pop("reason")
        return {**data, "role": self.cleaned_data["role"]}
