import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

#: How long a new token lasts, in days (no token lasts for ever).
EXPIRY_CHOICES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("365", _("One year")),
]
DEFAULT_EXPIRY = "90"
#: Tokens a user may hold at once.
MAX_TOKENS_PER_USER = 10


class TokenForm(DsfrBaseForm):
    name = forms.CharField(
        label=_("Token name"),
        help_text=_("What the token is for, e.g. the name of the application that uses it."),
        max_length=100,
    )
    expiry = forms.ChoiceField(label=_("Valid for"), choices=EXPIRY_CHOICES, initial=DEFAULT_EXPIRY)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        from api.models import ApiToken

        if ApiToken.objects.filter(user=self.user).count() >= MAX_TOKENS_PER_USER:
            raise forms.ValidationError(
                _("You already have %(count)d tokens: revoke one first.")
                % {"count": MAX_TOKENS_PER_USER}
            )
        return super().clean()

    @property
    def ttl(self) -> datetime.timedelta:
        return datetime.timedelta(days=int(self.cleaned_data["expiry"]))
