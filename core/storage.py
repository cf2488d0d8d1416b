"""Private file storage: uploaded files that only the platform's views may deliver."""

import os
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models, router, transaction
from django.db.models.signals import post_delete
from django.http import FileResponse, Http404


class PrivateStorage(FileSystemStorage):
    """Files without URL, under `PRIVATE_MEDIA_ROOT` (default: `private-media` beside
    `MEDIA_ROOT`), read from the settings at each use (tests override it)."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(
            getattr(
                settings, "PRIVATE_MEDIA_ROOT", Path(settings.MEDIA_ROOT).parent / "private-media"
            )
        )

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL: serve them through a view.")


def private_storage():
    return PrivateStorage()


def _private_file_fields(model) -> list:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField) and isinstance(field.storage, PrivateStorage)
    ]


def delete_private_files(sender, instance, using=None, **kwargs):
    """A deleted row's private files leave the storage once its deletion is committed, however
    it was deleted (a site deleted with its decrees and journal, a forum post, a user erased):
    sensitive files never outlive the data that names them. A rolled-back deletion keeps them."""
    for field in _private_file_fields(sender):
        name = getattr(instance, field.attname).name
        if name:
            transaction.on_commit(
                lambda storage=field.storage, name=name: storage.delete(name),
                using=using or router.db_for_write(sender),
            )


def connect_private_file_cleanup() -> None:
    """`delete_private_files` on every model with a private file (only those: a listener on
    every model would stop Django's fast bulk deletes)."""
    for model in apps.get_models():
        if _private_file_fields(model):
            post_delete.connect(
                delete_private_files,
                sender=model,
                dispatch_uid=f"delete_private_files:{model._meta.label}",
            )


def private_download(file, *, filename: str, content_type: str) -> FileResponse:
    """A private file as a download (never shown inline), under `filename`; the caller has
    checked the reader. A file missing from the storage is a 404."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
