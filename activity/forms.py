from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from activity import preferences
from activity.enums import EmailFrequency, NotificationKind


class PreferencesForm(DsfrBaseForm):
    """One checkbox per kind of email the user may receive, and how often (radio buttons)."""

    kinds = forms.MultipleChoiceField(
        label=_("Send me an email when"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    frequency = forms.ChoiceField(
        label=_("Email frequency"),
        help_text=_(
            "The daily digest gathers, once a day, the notifications of the kinds chosen above."
        ),
        choices=EmailFrequency.choices,
        initial=EmailFrequency.IMMEDIATE.value,
        required=False,  # left out (an older form): unchanged
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kinds"].choices = [
            (kind.value, kind.label) for kind in preferences.kinds_for(user)
        ]
        if not self.is_bound:
            current = preferences.preferences_of(user)
            self.initial["kinds"] = [kind for kind, enabled in current.items() if enabled]
            self.initial["frequency"] = preferences.frequency_of(user)

    def save(self) -> None:
        preferences.set_preferences(self.user, self.cleaned_data["kinds"])
        if self.cleaned_data["frequency"]:
            preferences.set_frequency(self.user, self.cleaned_data["frequency"])


FEED_TYPES = [
    (NotificationKind.SITE_CREATED.value, _("Sites declared")),
    (NotificationKind.SITE_UPDATED.value, _("Sites updated")),
    (NotificationKind.SITE_CLOSED.value, _("Sites closed")),
    ("journal", _("Journal messages")),
    ("user", _("New users")),
    ("forum", _("Forum questions")),
]


class FeedFilterForm(DsfrBaseForm):
    type = forms.ChoiceField(
        label=_("Type of event"),
        required=False,
        choices=[("", _("All events")), *FEED_TYPES],
    )
    departement = forms.ChoiceField(label=_("Department"), required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [
            ("", _("All my territory")),
            *[(d.code, f"{d.code} — {d.name}") for d in departments],
        ]
