"""Closing a site: date, cause, context, and the solutions its inhabitants were offered."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from sitepages.enums import ClosingCause, SolutionType
from sitepages.forms.fields import DateInput, RemapModelErrorsMixin
from sitepages.models import ClosingSolution, SitePage


def _count_field(label):
    return forms.IntegerField(label=label, min_value=0, required=False)


class ClosingForm(RemapModelErrorsMixin, DsfrBaseForm, forms.ModelForm):
    """One row of two numbers (people, households) per solution type; a type left empty has no
    `ClosingSolution`."""

    closed_at = forms.DateField(label=_("Closed on"), widget=DateInput)
    closing_cause = forms.ChoiceField(
        label=_("Closing cause"), choices=[("", _("Choose a cause")), *ClosingCause.choices]
    )
    closed_with_solutions = forms.TypedChoiceField(
        label=_("Were solutions offered to the inhabitants?"),
        choices=[("True", _("Closed with solutions")), ("False", _("Closed without solutions"))],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SitePage
        fields = ["closed_at", "closing_cause", "closing_context", "closed_with_solutions"]
        widgets = {"closing_context": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closing_context"].help_text = _("Required when the cause is “Other”.")
        existing = {row.solution_type: row for row in self.instance.closing_solutions.all()}
        for solution_type in SolutionType:
            row = existing.get(solution_type)
            people = f"people_{solution_type.value}"
            households = f"households_{solution_type.value}"
            self.fields[people] = _count_field(_("People"))
            self.fields[households] = _count_field(_("Households"))
            if row is not None:
                self.initial.setdefault(people, row.people)
                self.initial.setdefault(households, row.households)
        if self.instance.closed_with_solutions is not None:
            self.initial.setdefault(
                "closed_with_solutions", str(self.instance.closed_with_solutions)
            )

    def solution_rows(self):
        return [
            {
                "type": solution_type,
                "people": self[f"people_{solution_type.value}"],
                "households": self[f"households_{solution_type.value}"],
            }
            for solution_type in SolutionType
        ]

    def main_fields(self):
        return [self[name] for name in self._meta.fields]

    def clean(self):
        cleaned = super().clean()
        for solution_type in SolutionType:
            people = cleaned.get(f"people_{solution_type.value}")
            households = cleaned.get(f"households_{solution_type.value}")
            if people is not None and households is not None and households > people:
                self.add_error(
                    f"households_{solution_type.value}",
                    _("There cannot be more households than people."),
                )
        return cleaned

    def _solutions(self):
        rows = []
        for solution_type in SolutionType:
            people = self.cleaned_data.get(f"people_{solution_type.value}")
            households = self.cleaned_data.get(f"households_{solution_type.value}")
            if people is None and households is None:
                continue
            rows.append(
                ClosingSolution(solution_type=solution_type, people=people, households=households)
            )
        return rows

    def _post_clean(self):
        # The model's rules compare the solutions with the population: set them first.
        self.instance.closing_solutions = self._solutions()
        super()._post_clean()
