"""Forum attachments live in the private storage under random names, are checked like the
journal's (the name's extension must agree with the content) and are served only by the view that
checks the reader — never while the post awaits moderation, but to its author and moderators."""

import importlib
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from machina.core.db.models import get_model

from directory.enums import Role
from tests.directory.factories import UserFactory
from tests.forum.test_attachments import PDF, upload
from tests.forum.utils import Topic, answer, department, local_admin, make_topic, person

pytestmark = pytest.mark.django_db

Attachment = get_model("forum_attachments", "Attachment")
HOSTILE = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>"


@pytest.fixture
def storages(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings


def files_under(root) -> list[str]:
    root = Path(root)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def download(client, attachment):
    return client.get(reverse("forum_conversation:attachment", kwargs={"pk": attachment.pk}))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_an_html_file_posing_as_a_pdf_is_refused(client, forum, storages):
    client.force_login(UserFactory(role=Role.NATIONAL_ADMIN))
    response = upload(client, forum, SimpleUploadedFile("cr.html", HOSTILE), "Piège")
    assert response.status_code == 200
    assert "ne correspond pas à son contenu" in response.content.decode()
    assert not Topic.objects.filter(subject="Piège").exists()
    assert files_under(storages.MEDIA_ROOT) == [] and files_under(storages.PRIVATE_MEDIA_ROOT) == []


def test_files_are_private_under_random_names_and_served_by_the_checking_view(
    client, forum, storages
):
    author = UserFactory(role=Role.NATIONAL_ADMIN)
    client.force_login(author)
    assert (
        upload(client, forum, SimpleUploadedFile("compte rendu.pdf", PDF), "Avec PDF").status_code
        == 302
    )
    attachment = Attachment.objects.get(post__topic__subject="Avec PDF")
    assert attachment.name == "compte rendu.pdf"
    assert attachment.content_type == "application/pdf"
    assert "compte" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    assert files_under(storages.MEDIA_ROOT) == []
    assert files_under(storages.PRIVATE_MEDIA_ROOT) == [attachment.file.name]

    reader = UserFactory()
    client.force_login(reader)
    response = download(client, attachment)
    assert response.status_code == 200
    assert body(response) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert "compte" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"

    client.logout()
    anonymous = download(client, attachment)
    assert anonymous.status_code == 302 and reverse("login") in anonymous.url


def test_attachments_of_posts_awaiting_moderation_are_not_served_to_others(client, forum, storages):
    here = department("69")
    author = person(here)
    topic = make_topic(forum, UserFactory())
    pending = answer(topic, author, approved=False)
    attachment = Attachment.objects.create(
        post=pending,
        file=ContentFile(PDF, name="x.pdf"),
        name="cr.pdf",
        content_type="application/pdf",
    )
    client.force_login(person(here))
    assert download(client, attachment).status_code == 404
    for allowed in (author, local_admin(here), UserFactory(role=Role.NATIONAL_ADMIN)):
        client.force_login(allowed)
        response = download(client, attachment)
        assert response.status_code == 200, allowed
        assert body(response) == PDF
    client.force_login(local_admin(department("13")))  # moderates nobody of the Rhône
    assert download(client, attachment).status_code == 404


def test_the_migration_moves_machina_files_to_the_private_storage(storages):
    topic = make_topic(get_model("forum", "Forum").objects.create(name="T", type=0), UserFactory())
    legacy_name = default_storage.save("machina/attachments/cr.html", ContentFile(HOSTILE))
    pdf_name = default_storage.save("machina/attachments/rapport.pdf", ContentFile(PDF))
    legacy = Attachment.objects.create(post=topic.first_post, file=legacy_name)
    pdf = Attachment.objects.create(post=topic.first_post, file=pdf_name)
    gone = Attachment.objects.create(post=topic.first_post, file="machina/attachments/perdu.pdf")

    migration = importlib.import_module(
        "forum.forum_conversation.forum_attachments.migrations.0004_move_files_to_private_storage"
    )
    from django.apps import apps

    migration.move_files(apps, None)
    migration.move_files(apps, None)  # idempotent

    assert files_under(storages.MEDIA_ROOT) == []
    for attachment, name, content_type, data in (
        (legacy, "cr.pdf", "application/pdf", HOSTILE),  # the content decides, not the name
        (pdf, "rapport.pdf", "application/pdf", PDF),
    ):
        attachment.refresh_from_db()
        assert attachment.name == name and attachment.content_type == content_type
        assert not attachment.file.name.startswith("machina/")
        assert os.path.basename(attachment.file.name) != name
        with attachment.file.open("rb") as handle:
            assert handle.read() == data
    gone.refresh_from_db()
    assert gone.file.name == "machina/attachments/perdu.pdf"  # nothing to move, left as it was
