"""What a user changes on their own account: profile, email address, closing it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from directory.enums import Topic
from directory.forms_identity import IDENTITY_ERROR_MESSAGES, clean_phone_value


class ProfileForm(DsfrBaseForm):
    first_name = forms.CharField(
        label=_("First name"),
        error_messages={"required": _("Enter your first name.")},
        max_length=150,
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        error_messages={"required": _("Enter your last name.")},
        max_length=150,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        help_text=_("A French number, for example 01 23 45 67 89 or +33 6 12 34 56 78."),
        widget=forms.TextInput({"autocomplete": "tel", "inputmode": "tel"}),
    )
    position = forms.CharField(
        label=_("Position"),
        max_length=200,
        required=False,
        widget=forms.TextInput({"autocomplete": "organization-title"}),
    )
    expertise_topics = forms.MultipleChoiceField(
        label=_("Topics I know"),
        help_text=_("Colleagues find you by these topics in the directory."),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interest_topics = forms.MultipleChoiceField(
        label=_("Topics that interest me"),
        help_text=_("Used to suggest you questions of the forum."),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data.get("phone"), IDENTITY_ERROR_MESSAGES["phone"])

    def clean_position(self):
        return self.cleaned_data["position"].strip()


class PasswordCheckMixin:
    """A field asking for the current password, checked against `self.user`."""

    def clean_password(self):
        password = self.cleaned_data.get("password") or ""
        if not self.user.check_password(password):
            raise ValidationError(_("The password is incorrect."), code="password_incorrect")
        return password


class EmailChangeForm(PasswordCheckMixin, DsfrBaseForm):
    new_email = forms.EmailField(
        label=_("New email address"),
        max_length=254,
        help_text=_("Format: name@example.fr"),
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_email(self):
        email = self.cleaned_data["new_email"].strip().lower()
        if email == self.user.email:
            raise ValidationError(_("This is already your address."), code="same")
        # Whether another account uses it is not said here (no existence oracle): the
        # confirmation link is then not sent (directory.services.accounts).
        return email


class CloseAccountForm(PasswordCheckMixin, DsfrBaseForm):
    confirm = forms.BooleanField(
        label=_(
            "I understand that I will no longer be able to log in, and that my personal data "
            "will be erased after 30 days"
        ),
        required=True,
        error_messages={"required": _("Tick the box to confirm.")},
    )
    password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class AnonymizeForm(DsfrBaseForm):
    confirm = forms.BooleanField(
        label=_("I understand that the anonymisation is irreversible"),
        required=True,
        error_messages={"required": _("Tick the box to confirm.")},
    )
