"""Zip-based uploads (OpenDocument, Office Open XML) are checked without inflating them: the
`mimetype` entry is read a few hundred bytes at most, and the declared uncompressed size and the
number of entries are bounded before anything is accepted."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from journal import files

BOMB_SIZE = 200 * 1024 * 1024  # 200 MB of zeros once inflated


def _zip(entries) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def _odt_with_a_huge_mimetype() -> bytes:
    """An OpenDocument whose `mimetype` entry inflates to BOMB_SIZE bytes (~200 KB on disk)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("mimetype", "w", force_zip64=True) as entry:
            entry.write(b"application/vnd.oasis.opendocument.text")
            chunk = b"\0" * (1024 * 1024)
            for _ in range(BOMB_SIZE // len(chunk)):
                entry.write(chunk)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def test_a_huge_mimetype_entry_is_never_inflated():
    data = _odt_with_a_huge_mimetype()
    assert len(data) < files.MAX_SIZE  # small on disk: a legitimate upload size
    tracemalloc.start()
    try:
        files.detect(data)
    except files.ZipTooLarge:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MB allocated to check the file"
    with pytest.raises(ValidationError) as error:
        files.check_upload(SimpleUploadedFile("bombe.odt", data))
    assert error.value.code == "zip_too_large"


def test_an_office_document_inflating_beyond_the_bound_is_refused():
    payload = b"<w:t>" + b"A" * (files.MAX_UNCOMPRESSED_SIZE + 1) + b"</w:t>"
    data = _zip([("[Content_Types].xml", "<Types/>"), ("word/document.xml", payload)])
    assert len(data) < files.MAX_SIZE
    with pytest.raises(ValidationError) as error:
        files.check_upload(SimpleUploadedFile("rapport.docx", data))
    assert error.value.code == "zip_too_large"


def test_an_archive_of_too_many_entries_is_refused():
    entries = [("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>")]
    entries += [(f"word/media/{number}.xml", "") for number in range(files.MAX_ZIP_ENTRIES)]
    with pytest.raises(ValidationError) as error:
        files.check_upload(SimpleUploadedFile("rapport.docx", _zip(entries)))
    assert error.value.code == "zip_too_large"


@pytest.mark.parametrize(
    ("name", "entries"),
    [
        ("note.odt", [("mimetype", "application/vnd.oasis.opendocument.text")]),
        ("note.docx", [("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w/>")]),
    ],
)
def test_ordinary_documents_are_still_accepted(name, entries):
    assert (
        files.check_upload(SimpleUploadedFile(name, _zip(entries))).extensions[0]
        == (name.rpartition(".")[2])
    )
