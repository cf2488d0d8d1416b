"""Form fields and widgets shared by the site forms."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from directory.models import User


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO 8601 (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class YesNoUnknownField(forms.NullBooleanField):
    """A yes / no / unknown answer as three radio buttons (None = unknown)."""

    widget = forms.RadioSelect(choices=[("True", _("Yes")), ("False", _("No")), ("", _("Unknown"))])

    def __init__(self, **kwargs):
        kwargs["required"] = False
        super().__init__(**kwargs)
        self.widget = forms.RadioSelect(
            choices=[("True", _("Yes")), ("False", _("No")), ("", _("Unknown"))]
        )


def formfield_for(model_field, **kwargs):
    """Model field -> form field, the same way for every site form."""
    if isinstance(model_field, models.BooleanField) and model_field.null:
        return YesNoUnknownField(
            label=capfirst(model_field.verbose_name), help_text=model_field.help_text
        )
    if isinstance(model_field, models.DateField):
        kwargs.setdefault("widget", DateInput)
    return model_field.formfield(**kwargs)


class UserByEmailField(forms.EmailField):
    """An active user of the platform, given by their email address."""

    default_error_messages = {
        "unknown": _("No active user has this email address."),
    }

    def prepare_value(self, value):
        if isinstance(value, User):
            return value.email
        if isinstance(value, int):
            return User.objects.filter(pk=value).values_list("email", flat=True).first() or ""
        return value

    def to_python(self, value):
        if isinstance(value, User):
            return value
        email = super().to_python(value)
        if not email:
            return None
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(self.error_messages["unknown"], code="unknown")
        return user

    def clean(self, value):
        value = self.to_python(value)
        self.validate(value)
        self.run_validators(value)
        return value

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value):
        """The email validators ran on the text already."""

    def has_changed(self, initial, data):
        return (self.prepare_value(initial) or "") != (data or "")


class RemapModelErrorsMixin:
    """Model rules may name fields the form does not show (another form's, or fields the user
    may not see): their messages go to the top of the form, prefixed with the field's label,
    instead of crashing `add_error`."""

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            remapped: dict[str, list] = {}
            for name, messages in errors.error_dict.items():
                if name == NON_FIELD_ERRORS or name in self.fields:
                    remapped.setdefault(name, []).extend(messages)
                    continue
                field = self._meta.model._meta.get_field(name)
                for message in ValidationError(messages).messages:
                    remapped.setdefault(NON_FIELD_ERRORS, []).append(
                        ValidationError(f"{capfirst(field.verbose_name)} : {message}")
                    )
            errors = ValidationError(remapped)
        super()._update_errors(errors)
