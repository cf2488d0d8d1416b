"""Journal messages through the API: per reader, exactly the entries the journal pages show (the
audience table of tests/journal/conftest.py); posting with an audience through the journal's
form and service; my notifications."""

import pytest
from notifications.models import Notification

from directory.enums import Role
from journal.enums import Audience
from journal.models import Entry
from tests.api.support import api_client, member, token_for
from tests.journal.conftest import EXPECTED, MARKERS, READERS, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", READERS)
def test_the_api_gives_each_reader_the_entries_the_pages_show(world, name):  # noqa: F811
    user = world.readers[name]
    expected = EXPECTED[name]
    if name.startswith("inactive"):
        from api.models import ApiToken

        secret = ApiToken.objects.create(user=user, name="t")[1]
        response = api_client(secret=secret).get(f"/api/v1/sites/{world.site.pk}/journal/")
        assert response.status_code == 401
        return
    client = api_client(user)
    response = client.get(f"/api/v1/sites/{world.site.pk}/journal/")
    if expected or response.status_code != 404:
        assert response.status_code == 200
        body = str(response.json())
        shown = {key for key, marker in MARKERS.items() if marker in body}
        assert shown == expected
    # Last: closing a file download ends the request (and the test's database connection).
    attachment = world.entries["state"].attachments.get()
    download = client.get(f"/api/v1/journal/pieces-jointes/{attachment.pk}/")
    assert download.status_code == (200 if "state" in expected else 404)
    if download.status_code == 200:
        assert download["Content-Disposition"].startswith("attachment")
    download.close()


def test_posting_with_an_audience_goes_through_the_journal(world):  # noqa: F811
    author = world.readers["author"]
    client = api_client(author)
    url = f"/api/v1/sites/{world.site.pk}/journal/"
    response = client.post(url, {"text": "Nouvelle réunion", "audience": "site_readers"})
    assert response.status_code == 201, response.json()
    entry = Entry.objects.get(pk=response.json()["id"])
    assert entry.author == author and entry.audience == Audience.SITE_READERS
    assert response.json()["audience"] == Audience.SITE_READERS

    response = client.post(url, {"text": "", "audience": "nimportequoi"}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["text"] == ["Écrivez votre message."]
    assert "audience" in errors


def test_a_message_is_posted_with_an_attachment_and_a_refused_file_loses_nothing(
    world,  # noqa: F811
):
    """Multipart posting: the file goes through the journal's checks (type, name, size, the
    antivirus when configured), is stored privately and downloaded through the API; a refused
    file is a French 400 and neither the message nor any file is kept."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from journal.models import Attachment
    from tests.journal.conftest import PDF_BYTES

    author = world.readers["author"]
    client = api_client(author)
    url = f"/api/v1/sites/{world.site.pk}/journal/"
    before = set(Attachment.objects.values_list("pk", flat=True))

    response = client.post(
        url,
        {
            "text": "Compte rendu de la réunion joint.",
            "audience": "site_readers",
            "attachments": [SimpleUploadedFile("compte-rendu.pdf", PDF_BYTES)],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    [attachment] = response.json()["attachments"]
    assert attachment["name"] == "compte-rendu.pdf" and attachment["size"] == len(PDF_BYTES)
    download = client.get(attachment["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES

    entries = Entry.objects.count()
    response = client.post(
        url,
        {
            "text": "Un programme, pas un compte rendu.",
            "audience": "site_readers",
            "attachments": [SimpleUploadedFile("compte-rendu.pdf", b"MZ\x90\x00 not a pdf")],
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["attachments"] == [
        "« compte-rendu.pdf » n’est pas un fichier accepté : PDF, image (PNG, JPEG, GIF, WebP) ou "
        "document bureautique (Word, Excel, PowerPoint, OpenDocument)."
    ]
    assert Entry.objects.count() == entries
    assert set(Attachment.objects.values_list("pk", flat=True)) - before == {attachment["id"]}


def test_a_reader_who_may_not_post_gets_a_404(world):  # noqa: F811
    observer = member(Role.OBSERVATEUR_EXTERNE, world.site.commune.department)
    response = api_client(observer).post(
        f"/api/v1/sites/{world.site.pk}/journal/", {"text": "x"}, format="json"
    )
    assert response.status_code == 404


def test_my_notifications_read_and_mark_read():
    user, other = member(Role.INTERVENANT), member(Role.INTERVENANT)
    mine = Notification.objects.create(recipient=user, actor=other, verb="a écrit")
    Notification.objects.create(recipient=user, actor=other, verb="a modifié")
    theirs = Notification.objects.create(recipient=other, actor=user, verb="secret")
    client = api_client(secret=token_for(user))
    listed = client.get("/api/v1/notifications/").json()["results"]
    assert {row["verb"] for row in listed} == {"a écrit", "a modifié"}
    assert client.post(f"/api/v1/notifications/{theirs.pk}/lue/").status_code == 404
    response = client.post(f"/api/v1/notifications/{mine.pk}/lue/")
    assert response.status_code == 200 and response.json()["unread"] is False
    assert client.post("/api/v1/notifications/tout-lu/").json() == {"marked": 1}
    assert not Notification.objects.filter(recipient=user, unread=True).exists()
    assert Notification.objects.get(pk=theirs.pk).unread
