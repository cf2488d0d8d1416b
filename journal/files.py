"""Attachment checks: the type comes from the file's content (magic bytes, zip structure of
office documents, Pillow for images), never from its name; the name must agree with it."""

import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import antivirus

MAX_SIZE = 10 * 1024 * 1024  # 10 MB per file
MAX_FILES = 5
#: Zip-based documents (OpenDocument, Office Open XML): bounds on what they declare once inflated.
#: Nothing is inflated here but the first bytes of `mimetype`; the bounds protect whoever opens the
#: file later (the antivirus, a reader's office suite).
MAX_UNCOMPRESSED_SIZE = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
MIMETYPE_READ_LIMIT = 200  # bytes of the `mimetype` entry read (the longest ODF type is ~50)


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple[str, ...]  # the first one is used for stored and downloaded names
    label: str


PDF = FileKind("application/pdf", ("pdf",), "PDF")
PNG = FileKind("image/png", ("png",), "PNG")
JPEG = FileKind("image/jpeg", ("jpg", "jpeg"), "JPEG")
GIF = FileKind("image/gif", ("gif",), "GIF")
WEBP = FileKind("image/webp", ("webp",), "WebP")
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",), "Word"
)
XLSX = FileKind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",), "Excel"
)
PPTX = FileKind(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ("pptx",),
    "PowerPoint",
)
ODT = FileKind("application/vnd.oasis.opendocument.text", ("odt",), "OpenDocument")
ODS = FileKind("application/vnd.oasis.opendocument.spreadsheet", ("ods",), "OpenDocument")
ODP = FileKind("application/vnd.oasis.opendocument.presentation", ("odp",), "OpenDocument")

KINDS = (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP)
BY_CONTENT_TYPE = {kind.content_type: kind for kind in KINDS}
ACCEPT = ",".join(f".{ext}" for kind in KINDS for ext in kind.extensions)

#: OOXML: the folder that identifies each document type inside the zip.
OOXML_FOLDERS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
ODF_MIMETYPES = {kind.content_type: kind for kind in (ODT, ODS, ODP)}


def _image_kind(head: bytes) -> FileKind | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


class ZipTooLarge(Exception):
    """A zip-based document declaring too many entries or too many bytes once inflated."""


def _zip_kind(data: bytes) -> FileKind | None:
    # Each entry has a central directory header starting with this signature: counting them bounds
    # the entries before zipfile builds an object per entry (an upper bound: a few may be chance).
    if data.count(b"PK\x01\x02") > MAX_ZIP_ENTRIES:
        raise ZipTooLarge
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise ZipTooLarge
        if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_SIZE:
            raise ZipTooLarge
        names = [entry.filename for entry in entries]
        if "mimetype" in names:
            with archive.open("mimetype") as entry:  # inflates what is read, no more
                head = entry.read(MIMETYPE_READ_LIMIT)
            return ODF_MIMETYPES.get(head.decode("ascii", "replace").strip())
        if "[Content_Types].xml" in names:
            for folder, kind in OOXML_FOLDERS.items():
                if any(name.startswith(folder) for name in names):
                    return kind
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, EOFError):
        return None
    return None


def _valid_image(data: bytes) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:  # Pillow raises many types on corrupt files  # noqa: BLE001
        return False
    return True


def detect(data: bytes) -> FileKind | None:
    """The kind of a file from its bytes, or None when it is not an accepted type; raises
    ZipTooLarge for a zip-based document beyond the bounds."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return PDF
    image = _image_kind(head)
    if image is not None:
        return image if _valid_image(data) else None
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def safe_name(name: str, kind: FileKind) -> str:
    """A display/download name: no path, no control or markup characters, the kind's extension."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = unicodedata.normalize("NFC", base)
    stem, _dot, _ext = base.rpartition(".")
    stem = _UNSAFE.sub("_", stem or base).strip(" ._") or "piece-jointe"
    return f"{stem[:100]}.{kind.extensions[0]}"


def extension_of(name: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/"))
    return base.rpartition(".")[2].lower() if "." in base else ""


def check_upload(upload) -> FileKind:
    """Validate one uploaded file (size, antivirus, type from the content, name); return its kind
    or raise ValidationError (French message)."""
    if upload.size > MAX_SIZE:
        raise ValidationError(
            _("“%(name)s” is too large (%(max)s MB at most)."),
            params={"name": upload.name, "max": MAX_SIZE // (1024 * 1024)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty."), params={"name": upload.name})
    antivirus.check(upload)  # first: nothing else reads a file before the antivirus has
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        kind = detect(data)
    except ZipTooLarge:
        raise ValidationError(
            _(
                "“%(name)s” is refused: once uncompressed it would hold more than %(files)s files "
                "or %(max)s MB."
            ),
            params={
                "name": upload.name,
                "files": MAX_ZIP_ENTRIES,
                "max": MAX_UNCOMPRESSED_SIZE // (1024 * 1024),
            },
            code="zip_too_large",
        ) from None
    if kind is None:
        raise ValidationError(
            _(
                "“%(name)s” is not an accepted file: PDF, image (PNG, JPEG, GIF, WebP) or office "
                "document (Word, Excel, PowerPoint, OpenDocument)."
            ),
            params={"name": upload.name},
            code="bad_type",
        )
    if extension_of(upload.name) not in kind.extensions:
        raise ValidationError(
            _("The name of “%(name)s” does not match its content (%(kind)s file)."),
            params={"name": upload.name, "kind": kind.label},
            code="forged_extension",
        )
    return kind
