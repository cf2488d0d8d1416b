"""Forum attachments in the private storage (`core.storage`), under random names: no URL reaches
them, only `views.AttachmentView` serves them, after checking that the reader may read the post.
The name the author gave (cleaned) and the type read from the content are kept beside the file.
"""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from machina.apps.forum_conversation.forum_attachments.abstract_models import AbstractAttachment

from core import storage


def private_storage():
    """Named by the migrations (the storage itself lives in `core.storage`)."""
    return storage.private_storage()


def attachment_path(instance, filename):
    """A non-guessable storage name; the extension comes from the detected content type."""
    extension = instance.name.rpartition(".")[2] if "." in instance.name else "bin"
    return f"forum/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}.{extension}"


class Attachment(AbstractAttachment):
    file = models.FileField(
        _("file"), upload_to=attachment_path, storage=private_storage, max_length=200
    )
    name = models.CharField(_("file name"), max_length=120, blank=True)
    content_type = models.CharField(max_length=120, blank=True)

    class Meta(AbstractAttachment.Meta):
        pass

    @property
    def filename(self):
        """The name shown and downloaded (never the storage name)."""
        return self.name or super().filename


from machina.apps.forum_conversation.forum_attachments.models import *  # noqa: E402,F403
