"""Attachments are checked by their content (magic bytes) and size, not by their name."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from directory.enums import Role
from forum.forum_conversation import attachments
from tests.directory.factories import UserFactory
from tests.forum.utils import Topic, create_url, fr, topic_url

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office_document(marker="[Content_Types].xml"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(marker, "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def plain_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("programme.exe", "MZ")
    return buffer.getvalue()


def upload(client, forum, uploaded, subject):
    return client.post(
        create_url(forum),
        {
            "subject": subject,
            "content": "Voir la pièce jointe.",
            "attachment-TOTAL_FORMS": "1",
            "attachment-INITIAL_FORMS": "0",
            "attachment-MIN_NUM_FORMS": "0",
            "attachment-MAX_NUM_FORMS": "5",
            "attachment-0-file": uploaded,
            "attachment-0-comment": "Compte rendu",
        },
    )


@pytest.fixture
def poster(client):
    user = UserFactory(role=Role.NATIONAL_ADMIN)  # publishes without approval
    client.force_login(user)
    return user


def test_a_real_pdf_is_attached_and_downloadable(client, forum, poster, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    form = client.get(create_url(forum)).content.decode()
    assert 'enctype="multipart/form-data"' in form and 'name="attachment-0-file"' in form
    response = upload(client, forum, SimpleUploadedFile("cr.pdf", PDF), "Avec un PDF")
    assert response.status_code == 302
    topic = Topic.objects.get(subject="Avec un PDF")
    attachment = topic.first_post.attachments.get()
    assert attachment.comment == "Compte rendu"
    page = client.get(topic_url(topic)).content.decode()
    assert "cr.pdf" in page
    download = client.get(f"/entraide/attachment/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content if download.streaming else [download.content]) == PDF


@pytest.mark.parametrize(
    ("uploaded", "message"),
    [
        (
            SimpleUploadedFile("faux.pdf", b"MZ\x90\x00 programme"),
            "“%(name)s” is not an accepted file: PDF, image (PNG, JPEG, GIF, WebP) or office "
            "document (Word, Excel, PowerPoint, OpenDocument).",
        ),
        (
            SimpleUploadedFile("cr.html", b"%PDF-1.4\n<script>alert(document.cookie)</script>"),
            "The name of “%(name)s” does not match its content (%(kind)s file).",
        ),
        (
            SimpleUploadedFile("gros.pdf", b"%PDF-" + b"0" * attachments.MAX_SIZE),
            "This file is too large (%(size)s); the limit is %(limit)s.",
        ),
    ],
)
def test_bad_files_are_refused_with_a_french_message(client, forum, poster, uploaded, message):
    response = upload(client, forum, uploaded, "Refusé")
    assert response.status_code == 200
    html = response.content.decode()
    french = fr(message).replace("%(name)s", uploaded.name).split(" (")[0]
    assert french.replace("’", "&#x27;") in html.replace("’", "&#x27;") or french in html, french
    assert "fr-upload-group--error" in html
    assert not Topic.objects.filter(subject="Refusé").exists()


def test_the_number_of_files_is_limited(client, forum, poster):
    data = {
        "subject": "Trop de fichiers",
        "content": "…",
        "attachment-TOTAL_FORMS": str(attachments.MAX_FILES + 1),
        "attachment-INITIAL_FORMS": "0",
        "attachment-MIN_NUM_FORMS": "0",
        "attachment-MAX_NUM_FORMS": "1000",
    }
    for number in range(attachments.MAX_FILES + 1):
        data[f"attachment-{number}-file"] = SimpleUploadedFile(f"{number}.pdf", PDF)
    response = client.post(create_url(forum), data)
    assert response.status_code == 200
    assert not Topic.objects.filter(subject="Trop de fichiers").exists()
