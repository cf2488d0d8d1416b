"""The public forms: contact and "report a site". Length limits everywhere; a honeypot field."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from cms.enums import ContactRequestType
from directory.enums import TerritoryLevel
from directory.fields import TerritoryField
from directory.forms_access import normalize_phone
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

    error_messages = {
        "phone": _("Enter a French phone number, for example 01 23 45 67 89."),
        "email_mismatch": _("The two email addresses differ."),
    }

    @property
    def honeypot_filled(self) -> bool:
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())

    def _clean_phone(self, name):
        phone = (self.cleaned_data.get(name) or "").strip()
        if not phone:
            return ""
        try:
            return normalize_phone(phone)
        except ValueError:
            raise ValidationError(self.error_messages["phone"], code="phone") from None


class ContactForm(PublicForm):
    request_type = forms.ChoiceField(
        label=_("Type of request"),
        choices=[("", _("Choose a type of request")), *ContactRequestType.choices],
        error_messages={
            "required": _("Choose the type of your request."),
            "invalid_choice": _("Choose a type of request from the list."),
        },
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("Format: name@example.fr"),
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    email_confirmation = forms.EmailField(
        label=_("Confirm the email address"),
        max_length=254,
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        help_text=_("A French number, for example 01 23 45 67 89 or +33 6 12 34 56 78."),
        widget=forms.TextInput({"autocomplete": "tel", "inputmode": "tel"}),
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

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self):
        return self._clean_phone("phone")

    def clean(self):
        data = super().clean()
        email, confirmation = data.get("email"), data.get("email_confirmation")
        if email and confirmation and email != confirmation.strip().lower():
            self.add_error(
                "email_confirmation",
                ValidationError(self.error_messages["email_mismatch"], code="email_mismatch"),
            )
        return data

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
