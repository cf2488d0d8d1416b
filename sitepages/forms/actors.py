"""Forms of the actors section of a site page: my themes, add an actor, invite a partner."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from sitepages.enums import SiteActorTheme
from sitepages.forms.fields import UserByEmailField

MESSAGE_MAX_LENGTH = 1000


class ThemesForm(DsfrBaseForm):
    themes = forms.MultipleChoiceField(
        label=_("Themes on which I act on this site"),
        help_text=_("Choose at least one theme."),
        choices=SiteActorTheme.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one theme."),
            "invalid_choice": _("Choose themes from the list."),
        },
    )


class AddActorForm(ThemesForm):
    user = UserByEmailField(
        label=_("Email address of the user"),
        help_text=_(
            "An active user of the platform who may read this site. Format: name@example.fr"
        ),
    )
    field_order = ["user", "themes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].label = _("Themes on which this person acts on the site")


class InviteForm(DsfrBaseForm):
    email = forms.EmailField(
        label=_("Email address of the person to invite"),
        max_length=254,
        help_text=_("Format: name@example.fr"),
        error_messages={
            "required": _("Give the email address of the person to invite."),
            "invalid": _("Enter a valid email address, for example name@example.fr."),
        },
        widget=forms.EmailInput({"autocomplete": "off"}),
    )
    message = forms.CharField(
        label=_("Message"),
        help_text=_("Sent with the invitation (1,000 characters at most)."),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea({"rows": 4}),
    )
