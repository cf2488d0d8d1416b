from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm


class DeleteSiteForm(DsfrBaseForm):
    reason = forms.CharField(
        label=_("Reason for the deletion"),
        help_text=_(
            "Why this site was created by mistake (a duplicate, a test…). Kept in the audit log "
            "and sent to the site's actors. 1,000 characters at most."
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why this site is deleted.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why this site is deleted."))
        return reason
