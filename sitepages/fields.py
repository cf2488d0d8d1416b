"""Model fields shared by the site models."""

from django import forms
from django.contrib.postgres.fields import ArrayField


class ChoiceArrayField(ArrayField):
    """A PostgreSQL array of choices, edited as a list of checkboxes (several answers allowed)."""

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.base_field.choices,
            "coerce": self.base_field.to_python,
            "widget": forms.CheckboxSelectMultiple,
            "required": not self.blank,
        }
        defaults.update(kwargs)
        # Skip ArrayField.formfield (SimpleArrayField, a comma-separated text input).
        return super(ArrayField, self).formfield(**defaults)
