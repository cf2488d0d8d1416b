"""XSS payloads in entry text and attachment names are neutralised; attachments are typed by
their content (a forged extension is refused) and served only as safe downloads."""

import io
import zipfile
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from directory.enums import Role
from journal import files, markup
from journal.enums import Audience
from journal.forms import EntryForm
from journal.models import Attachment, Entry
from tests.directory.factories import UserFactory, give_area
from tests.journal.conftest import PDF_BYTES
from tests.sitepages.factories import SitePageFactory

TEXT_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">lien</a>',
    "[lien](javascript:alert(1))",
    "[lien](JaVaScRiPt:alert(1))",
    "[lien](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="jav&#x09;ascript:alert(1)">lien</a>',
    "**<b onmouseover=alert(1)>gras</b>**",
    "<style>body{display:none}</style>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<details open ontoggle=alert(1)>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '[x](https://exemple.test/" onmouseover="alert(1))',
]


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def assert_only_safe_markup(html):
    """Only paragraphs, lists, links and bold, with no attribute but a safe href (and rel)."""
    collector = _Collector()
    collector.feed(html)
    for tag, attributes in collector.elements:
        assert tag in markup.ALLOWED_TAGS, (tag, html)
        allowed = {"href", "rel"} if tag == "a" else set()
        assert set(attributes) <= allowed, (tag, attributes)
        if "href" in attributes:
            assert urlsplit(attributes["href"].strip()).scheme in {"", "http", "https", "mailto"}, (
                attributes
            )


@pytest.mark.parametrize("payload", TEXT_PAYLOADS)
def test_markup_neutralises(payload):
    html = markup.render(f"Avant {payload} après")
    assert_only_safe_markup(html)
    assert "Avant" in html


def test_allowed_formatting_is_kept():
    html = markup.render("Un **mot**.\n\n- un\n- deux\n\n[Lien](https://exemple.test/a)")
    assert "<strong>mot</strong>" in html
    assert "<ul>" in html and "<li>un</li>" in html
    assert 'href="https://exemple.test/a"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_stored_html_is_cleaned_again_on_output(db):
    entry = Entry(text="x", text_html='<p onclick="x()">a</p><script>alert(1)</script>')
    assert str(entry.html) == "<p>a</p>"


@pytest.mark.django_db
@pytest.mark.parametrize("payload", TEXT_PAYLOADS)
def test_payloads_on_the_stream_page(client, payload, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    author = UserFactory(role=Role.LOCAL_ADMIN)
    site = SitePageFactory()
    give_area(author, site.commune.department)
    client.force_login(author)
    response = client.post(
        reverse("journal:post", args=[site.pk]),
        {"text": f"Avant {payload} après", "audience": Audience.SITE_READERS},
    )
    assert response.status_code == 302
    html = client.get(reverse("journal:site", args=[site.pk])).content.decode()
    body = html.split('class="journal-entry__text">', 1)[1].split("</div>", 1)[0]
    assert "Avant" in body
    assert_only_safe_markup(body)


# --- Attachments --------------------------------------------------------------------------------


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "JPEG")
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes]):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})

ACCEPTED = [
    ("rapport.pdf", PDF_BYTES, "application/pdf"),
    ("photo.png", png_bytes(), "image/png"),
    ("photo.JPG", jpeg_bytes(), "image/jpeg"),
    ("note.docx", DOCX, files.DOCX.content_type),
    ("tableau.xlsx", XLSX, files.XLSX.content_type),
    ("note.odt", ODT, files.ODT.content_type),
]

REFUSED = [
    ("page.pdf", b"<html><script>alert(1)</script></html>", "bad_type"),
    ("programme.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "bad_type"),
    ("archive.docx", zip_bytes({"a.txt": b"hello"}), "bad_type"),
    ("faux.png", b"\x89PNG\r\n\x1a\n" + b"not really an image", "bad_type"),
    ("rapport.png", PDF_BYTES, "forged_extension"),
    ("photo.pdf", png_bytes(), "forged_extension"),
    ("note.xlsx", DOCX, "forged_extension"),
    ("rapport.pdf.html", PDF_BYTES, "forged_extension"),
    ("rapport", PDF_BYTES, "forged_extension"),
    ("vide.pdf", b"", None),
]


@pytest.mark.parametrize(("name", "data", "content_type"), ACCEPTED)
def test_accepted_files(name, data, content_type):
    assert files.check_upload(SimpleUploadedFile(name, data)).content_type == content_type


@pytest.mark.parametrize(("name", "data", "code"), REFUSED)
def test_refused_files(name, data, code):
    with pytest.raises(ValidationError) as error:
        files.check_upload(SimpleUploadedFile(name, data))
    if code:
        assert error.value.code == code


def test_size_limit(settings):
    upload = SimpleUploadedFile("gros.pdf", PDF_BYTES + b"0" * files.MAX_SIZE)
    with pytest.raises(ValidationError) as error:
        files.check_upload(upload)
    assert error.value.code == "too_large"


@pytest.mark.django_db
def test_the_form_refuses_a_forged_extension_with_a_message():
    author = UserFactory(role=Role.LOCAL_ADMIN)
    site = SitePageFactory()
    give_area(author, site.commune.department)
    form = EntryForm(
        {"text": "Bonjour", "audience": Audience.SITE_READERS},
        {"attachments": [SimpleUploadedFile("rapport.pdf", b"<html></html>")]},
        site=site,
        author=author,
    )
    assert not form.is_valid()
    assert "attachments" in form.errors
    assert not Attachment.objects.exists()


NAME_PAYLOADS = [
    '"><img src=x onerror=alert(1)>.pdf',
    "<script>alert(1)</script>.pdf",
    "../../../etc/passwd.pdf",
    "C:\\Windows\\system32\\evil.pdf",
    'a"; filename="autre.html.pdf',
    "ligne\r\nContent-Type: text/html.pdf",
    "\u202egnp.pdf",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAME_PAYLOADS)
def test_attachment_names_are_neutralised(client, name, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    author = UserFactory(role=Role.LOCAL_ADMIN)
    site = SitePageFactory()
    give_area(author, site.commune.department)
    client.force_login(author)
    response = client.post(
        reverse("journal:post", args=[site.pk]),
        {
            "text": "Pièce jointe",
            "audience": Audience.SITE_READERS,
            "attachments": [SimpleUploadedFile(name, PDF_BYTES)],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    attachment = Attachment.objects.get()
    assert attachment.name.endswith(".pdf")
    for character in '<>"/\\\r\n;\u202e':
        assert character not in attachment.name
    # Stored under a random name, never the uploaded one.
    assert "passwd" not in attachment.file.name and "script" not in attachment.file.name
    html = client.get(reverse("journal:site", args=[site.pk])).content.decode()
    assert "<img src=x" not in html and "<script>alert" not in html
    download = client.get(reverse("journal:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    assert b"".join(download.streaming_content) == PDF_BYTES
    download.close()
