"""Decree attachments of a site's procedures (sensitive: `site.access_justice`).

The files live in a private storage, outside `MEDIA_ROOT`: no public URL reaches them; only
`views_edit.attachment_download` serves them, after the permission check. They are not part of
the page revisions (files are not versioned); uploads and deletions are in Wagtail's audit log.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import storage

#: Accepted kinds, recognised by their first bytes (never by the file name):
#: kind -> (content type, extension, signatures)
ACCEPTED_KINDS = {
    "pdf": ("application/pdf", "pdf", (b"%PDF-",)),
    "png": ("image/png", "png", (b"\x89PNG\r\n\x1a\n",)),
    "jpeg": ("image/jpeg", "jpg", (b"\xff\xd8\xff",)),
}
MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024


def private_storage():
    """Kept here because migration 0002 names it; the storage itself lives in `core.storage`."""
    return storage.private_storage()


def attachment_path(instance, filename):
    """A random name: the original name is kept in the database only."""
    extension = ACCEPTED_KINDS.get(instance.kind, ("", "bin", ()))[1]
    return f"decrees/{instance.site_id}/{uuid.uuid4().hex}.{extension}"


def sniff_kind(head: bytes) -> str | None:
    """The accepted kind whose signature starts `head`, or None."""
    for kind, (_content_type, _extension, signatures) in ACCEPTED_KINDS.items():
        if any(head.startswith(signature) for signature in signatures):
            return kind
    return None


class DecreeAttachment(models.Model):
    site = models.ForeignKey(
        "sitepages.SitePage",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="decree_attachments",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage)
    original_name = models.CharField(_("original file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("decree attachment")
        verbose_name_plural = _("decree attachments")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def content_type(self) -> str:
        return ACCEPTED_KINDS.get(self.kind, ("application/octet-stream",))[0]
