"""Who is writing: the identity fields shared by the public forms (the access request here, the
contact form in `cms.forms`), with their cleaning and messages.

A form derives from `IdentityFields` (a DSFR form), first when it has other bases; it may
redeclare a field (a label, a help text): the field keeps its place. Forms that override
`clean_email` or `clean` call `super()`.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

#: French numbers, national ("01 23 45 67 89") or international (+33, and the overseas
#: departments' +262, +269, +590, +594, +596) forms; separators: spaces, dots, dashes.
PHONE_RE = re.compile(r"(?:(?:\+|00)(?:33|262|269|590|594|596)(?:\(0\))?|0)([1-9]\d{8})")
PHONE_SEPARATORS_RE = re.compile(r"[\s.\-]")

IDENTITY_ERROR_MESSAGES = {
    "phone": _("Enter a French phone number, for example 01 23 45 67 89."),
    "email_mismatch": _("The two email addresses differ."),
}


def normalize_phone(value: str) -> str:
    """ "+33 6 12 34 56 78" → "06 12 34 56 78"; raises ValueError when it is not French."""
    match = PHONE_RE.fullmatch(PHONE_SEPARATORS_RE.sub("", value))
    if not match:
        raise ValueError(value)
    digits = "0" + match[1]
    return " ".join(digits[index : index + 2] for index in range(0, 10, 2))


def clean_phone_value(value, message=IDENTITY_ERROR_MESSAGES["phone"]) -> str:
    """An optional French phone number, normalized; "" when empty."""
    phone = (value or "").strip()
    if not phone:
        return ""
    try:
        return normalize_phone(phone)
    except ValueError:
        raise ValidationError(message, code="phone") from None


class IdentityFields(DsfrBaseForm):
    """First and last names, email address typed twice, optional phone."""

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

    error_messages = IDENTITY_ERROR_MESSAGES

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data.get("phone"), self.error_messages["phone"])

    def clean(self):
        data = super().clean()
        email, confirmation = data.get("email"), data.get("email_confirmation")
        if email and confirmation and email != confirmation.strip().lower():
            self.add_error(
                "email_confirmation",
                ValidationError(self.error_messages["email_mismatch"], code="email_mismatch"),
            )
        return data
