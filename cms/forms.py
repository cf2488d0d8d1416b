"""The public forms: contact and "report a site". Length limits everywhere; a honeypot field."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from cms.enums import ContactRequestType
from directory.enums import TerritoryLevel
from directory.fields import TerritoryField
from directory.forms_identity import IDENTITY_ERROR_MESSAGES, IdentityFields, clean_phone_value
from directory.models import Department

MESSAGE_MAX_LENGTH = 5000
DESCRIPTION_MAX_LENGTH = 3000
MAX_PEOPLE = 5000
#: Name of the honeypot field: hidden from people, filled in by naive bots.
HONEYPOT_FIELD = "extra_info"
HONEYPOT_TEMPLATE = "directory/access/honeypot_field.html"


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


class PublicForm(DsfrBaseForm):
    extra_info = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        template_name=HONEYPOT_TEMPLATE,
        widget=forms.TextInput({"autocomplete": "off", "tabindex": "-1"}),
    )

    error_messages = IDENTITY_ERROR_MESSAGES

    @property
    def honeypot_filled(self) -> bool:
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())

    def _clean_phone(self, name):
        return clean_phone_value(self.cleaned_data.get(name), self.error_messages["phone"])


class ContactForm(IdentityFields, PublicForm):
    """The identity fields (names, email typed twice, phone) and their cleaning come from
    `IdentityFields`, shared with the access request form."""

    field_order = [
        HONEYPOT_FIELD,
        "request_type",
        "first_name",
        "last_name",
        "email",
        "email_confirmation",
        "phone",
        "organization",
        "department",
        "message",
        "consent",
    ]

    request_type = forms.ChoiceField(
        label=_("Type of request"),
        choices=[("", _("Choose a type of request")), *ContactRequestType.choices],
        error_messages={
            "required": _("Choose the type of your request."),
            "invalid_choice": _("Choose a type of request from the list."),
        },
    )
    organization = forms.CharField(
        label=_("Organisation"),
        max_length=255,
        required=False,
        widget=forms.TextInput({"autocomplete": "organization"}),
    )
    department = DepartmentChoiceField(
        label=_("Department concerned"),
        queryset=Department.objects.order_by("code"),
        required=False,
        empty_label=_("No department in particular"),
        help_text=_("Your message then goes to the administrators of this department."),
        error_messages={"invalid_choice": _("Choose a department from the list.")},
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        help_text=_("5,000 characters at most."),
        widget=forms.Textarea({"rows": 8}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the information above is used to answer my request, and kept for "
            "this purpose only."
        ),
        error_messages={"required": _("Please tick this box to send your message.")},
    )

    def message_data(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in (
                "request_type",
                "first_name",
                "last_name",
                "email",
                "phone",
                "organization",
                "department",
                "message",
            )
        }


class SiteReportForm(PublicForm):
    commune = TerritoryField(
        label=_("Commune"),
        levels=[TerritoryLevel.COMMUNE],
        help_text=_("Type the first letters and choose the commune in the list."),
        error_messages={"required": _("Choose the commune where the site is.")},
    )
    address = forms.CharField(
        label=_("Address or place"),
        max_length=255,
        required=False,
        help_text=_("A street, a landmark: what helps to find the place."),
    )
    approximate_people = forms.IntegerField(
        label=_("Approximate number of people"),
        required=False,
        min_value=1,
        max_value=MAX_PEOPLE,
        error_messages={
            "invalid": _("Enter a number."),
            "min_value": _("Enter a number of at least 1."),
            "max_value": _("Enter a number of at most 5,000."),
        },
    )
    description = forms.CharField(
        label=_("What did you see?"),
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=_(
            "Living conditions, needs you noticed… Do not write the names of the inhabitants. "
            "(3,000 characters at most)"
        ),
        widget=forms.Textarea({"rows": 6}),
    )
    reporter_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        required=False,
        widget=forms.TextInput({"autocomplete": "name"}),
    )
    reporter_email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        required=False,
        help_text=_("To receive an acknowledgement and be contacted if needed."),
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    reporter_phone = forms.CharField(
        label=_("Your phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput({"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_reporter_phone(self):
        return self._clean_phone("reporter_phone")

    def clean_reporter_email(self):
        return (self.cleaned_data.get("reporter_email") or "").strip().lower()

    def report_data(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in (
                "commune",
                "address",
                "approximate_people",
                "description",
                "reporter_name",
                "reporter_email",
                "reporter_phone",
            )
        }


class InboxFilterForm(DsfrBaseForm):
    """The filters of the inbox (GET): handled or not, and one of the user's departments."""

    TO_HANDLE = "a-traiter"
    HANDLED = "traites"
    ALL = "tous"

    statut = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (TO_HANDLE, _("To handle")),
            (HANDLED, _("Already handled")),
            (ALL, _("All messages")),
        ],
        required=False,
    )
    departement = forms.ChoiceField(
        label=_("Department"),
        required=False,
        error_messages={"invalid_choice": _("Choose a department from the list.")},
    )

    def __init__(self, *args, departments, **kwargs):
        """`departments`: the user's departments (read once, used for the choices and to
        find the chosen one)."""
        super().__init__(*args, **kwargs)
        self.departments = {department.code: department for department in departments}
        self.fields["departement"].choices = [
            ("", _("All my departments")),
            *[(code, f"{code} — {d.name}") for code, d in self.departments.items()],
        ]

    def filters(self) -> tuple[str, Department | None]:
        """(status, department), the defaults for whatever is missing or invalid."""
        if not self.is_bound:
            return self.TO_HANDLE, None
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        status = data.get("statut") or self.TO_HANDLE
        return status, self.departments.get(data.get("departement") or "")
