"""Uploading a decree: the file's content decides whether it is accepted, not its name."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from core import antivirus
from sitepages.models.attachments import MAX_ATTACHMENT_SIZE, sniff_kind


class DecreeAttachmentForm(DsfrBaseForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example: eviction order of 12 March 2026."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG or JPEG, %(size)s at most.")
        % {"size": filesizeformat(MAX_ATTACHMENT_SIZE)},
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTACHMENT_SIZE:
            raise forms.ValidationError(
                _("The file is too large (%(size)s at most).")
                % {"size": filesizeformat(MAX_ATTACHMENT_SIZE)},
                code="too_large",
            )
        antivirus.check(upload)
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        kind = sniff_kind(head)
        if kind is None:
            raise forms.ValidationError(
                _("Only PDF, PNG and JPEG files are accepted."), code="kind"
            )
        upload.detected_kind = kind
        return upload
