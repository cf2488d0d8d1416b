"""Private files never outlive the rows that name them: a site deleted with its decrees and its
journal, a forum post deleted with its attachment — the files leave the private storage once
the deletion is committed, and stay when it is rolled back (core.storage.delete_private_files).
Before, deleting a site left its decrees and journal attachments on disk with nothing pointing
to them."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from machina.core.db.models import get_model

from directory.enums import Role
from journal import services as journal_services
from journal.enums import Audience
from sitepages import services as site_services
from sitepages.deletion import delete_site
from tests.forum.utils import make_topic, person
from tests.sitepages.edit_support import site_in, user_with

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ForumAttachment = get_model("forum_attachments", "Attachment")
Forum = get_model("forum", "Forum")


@pytest.fixture
def private_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return Path(settings.PRIVATE_MEDIA_ROOT)


def files_under(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.fixture
def site_with_files(private_root):
    site = site_in(people=10)
    admin = user_with(Role.LOCAL_ADMIN, site.commune.department)
    upload = SimpleUploadedFile("arrete.pdf", PDF, content_type="application/pdf")
    upload.detected_kind = "pdf"
    with transaction.atomic():
        site_services.add_decree(site=site, user=admin, title="Arrêté", upload=upload)
    journal_services.post_entry(
        site=site,
        author=admin,
        text="Compte rendu joint",
        audience=Audience.SITE_READERS,
        uploads=[SimpleUploadedFile("cr.pdf", PDF)],
    )
    assert len(files_under(private_root)) == 2  # the decree and the journal attachment
    return site, admin


def test_deleting_a_site_removes_its_decrees_and_journal_files(
    site_with_files, private_root, django_capture_on_commit_callbacks
):
    site, admin = site_with_files
    with django_capture_on_commit_callbacks(execute=True):
        delete_site(site=site, user=admin, reason="Créé par erreur")
    assert files_under(private_root) == []


def test_a_rolled_back_site_deletion_keeps_the_files(
    site_with_files, private_root, django_capture_on_commit_callbacks
):
    site, admin = site_with_files

    class Abandoned(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Abandoned):
        with transaction.atomic():
            delete_site(site=site, user=admin, reason="Créé par erreur")
            raise Abandoned

    assert len(files_under(private_root)) == 2
    assert site.decree_attachments.count() == 1


def test_a_forum_post_deleted_takes_its_attachment_file(
    private_root, django_capture_on_commit_callbacks
):
    forum = Forum.objects.create(name="Santé", type=Forum.FORUM_POST)
    topic = make_topic(forum, person(role=Role.OPERATEUR), subject="Avec pièce jointe")
    attachment = ForumAttachment(post=topic.first_post, name="cr.pdf")
    attachment.file.save("cr.pdf", ContentFile(PDF), save=True)
    assert files_under(private_root) == [attachment.file.name]

    with django_capture_on_commit_callbacks(execute=True):
        topic.first_post.delete()

    assert not ForumAttachment.objects.filter(pk=attachment.pk).exists()
    assert files_under(private_root) == []
