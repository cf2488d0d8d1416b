"""Private file storage: uploaded files that only the platform's views may deliver."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
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
