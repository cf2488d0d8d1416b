"""Account forms rendered with the State design system (django-dsfr)."""

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.template import loader
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from core.tasks import send_email


class LoginForm(DsfrBaseForm, auth_forms.AuthenticationForm):
    username = auth_forms.UsernameField(
        label=_("Email address"),
        max_length=254,
        widget=auth_forms.forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": _("Incorrect email address or password."),
        "inactive": _("This account is inactive."),
    }


class PasswordResetForm(DsfrBaseForm, auth_forms.PasswordResetForm):
    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Queue the email as a background task instead of sending it in the request."""
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html_body = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else None
        )
        send_email.enqueue(
            subject=subject,
            body=body,
            html_body=html_body,
            to=[to_email],
            from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        )


class SetPasswordForm(DsfrBaseForm, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(DsfrBaseForm, auth_forms.PasswordChangeForm):
    pass


class CharterAcceptanceForm(DsfrBaseForm):
    accept = forms.BooleanField(
        label=_("I have read the charter of engagement and I commit to respect it"),
        required=True,
        error_messages={"required": _("Please accept the charter to use the platform.")},
    )
