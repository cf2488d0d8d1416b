"""Attachments of forum messages, checked by their content (magic bytes), not by their name.

Accepted: PDF, PNG, JPEG and OpenDocument / Office Open XML documents (zip containers holding the
file that identifies their format), at most `MAX_SIZE` each and `MAX_FILES` per message.
"""

import zipfile

from django import forms
from django.forms.models import modelformset_factory
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBoundField
from machina.apps.forum_conversation.forum_attachments.forms import BaseAttachmentFormset
from machina.core.db.models import get_model

Attachment = get_model("forum_attachments", "Attachment")

MAX_SIZE = 5 * 1024 * 1024
MAX_FILES = 5

SIGNATURES = {
    b"%PDF-": "pdf",
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
}
ZIP_SIGNATURE = b"PK\x03\x04"


def detect_type(uploaded) -> str | None:
    """The file's type read from its first bytes ("pdf", "png", "jpeg", "document"), or None."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if head.startswith(ZIP_SIGNATURE):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            uploaded.seek(0)
        if "mimetype" in names or "[Content_Types].xml" in names:  # ODF / OOXML
            return "document"
    return None


class AttachmentForm(forms.ModelForm):
    bound_field_class = DsfrBoundField

    class Meta:
        model = Attachment
        fields = ["file", "comment"]
        labels = {"file": _("File"), "comment": _("Description (optional)")}
        help_texts = {
            "file": _("PDF, image (PNG, JPEG) or office document, 5 MB at most."),
        }

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded is None or not hasattr(uploaded, "content_type"):
            return uploaded  # unchanged existing file
        if uploaded.size > MAX_SIZE:
            raise forms.ValidationError(
                _("This file is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(MAX_SIZE)}
            )
        if detect_type(uploaded) is None:
            raise forms.ValidationError(
                _("This type of file is not accepted: send a PDF, an image (PNG, JPEG) or an "
                  "office document.")
            )  # fmt: skip
        return uploaded


AttachmentFormset = modelformset_factory(
    Attachment,
    AttachmentForm,
    formset=BaseAttachmentFormset,
    can_delete=True,
    extra=1,
    max_num=MAX_FILES,
    validate_max=True,
)
