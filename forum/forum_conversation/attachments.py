"""Attachments of forum messages, checked as the journal's are (`journal.files`): the type comes
from the content (magic bytes, zip structure, Pillow), never from the name, and the name's
extension must agree with it. At most `MAX_SIZE` each and `MAX_FILES` per message. The file is
stored under a random name in the private storage (`forum_attachments.models`).
"""

from django import forms
from django.forms.models import modelformset_factory
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBoundField
from machina.apps.forum_conversation.forum_attachments.forms import BaseAttachmentFormset
from machina.core.db.models import get_model

from journal import files

Attachment = get_model("forum_attachments", "Attachment")

MAX_SIZE = 5 * 1024 * 1024
MAX_FILES = 5


class AttachmentForm(forms.ModelForm):
    bound_field_class = DsfrBoundField

    class Meta:
        model = Attachment
        fields = ["file", "comment"]
        labels = {"file": _("File"), "comment": _("Description")}
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
        kind = files.check_upload(uploaded)
        self.instance.name = files.safe_name(uploaded.name, kind)
        self.instance.content_type = kind.content_type
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
