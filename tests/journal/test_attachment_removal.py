"""The author removes attachments when editing an entry: the removal is in the entry's history,
the file leaves the private storage after the commit, and the 5-file limit counts what is kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.enums import Role
from journal import files, services
from journal.enums import Audience
from journal.models import Attachment
from tests.directory.factories import UserFactory, give_area
from tests.journal.conftest import PDF_BYTES
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


def pdf(name):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def storage_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private"


@pytest.fixture
def site():
    return SitePageFactory()


@pytest.fixture
def author(site):
    user = UserFactory(role=Role.LOCAL_ADMIN)
    give_area(user, site.commune.department)
    return user


def post(site, author, *names):
    return services.post_entry(
        site=site,
        author=author,
        text="Compte rendu de la visite.",
        audience=Audience.SITE_READERS,
        uploads=[pdf(name) for name in names],
    )


def edit_data(entry, **extra):
    return {"text": entry.text, "audience": entry.audience, **extra}


def stored(attachment, root) -> bool:
    return (root / attachment.file.name).exists()


def test_the_edit_form_offers_one_labelled_checkbox_per_attachment(client, site, author):
    entry = post(site, author, "plan.pdf", "photo.pdf")
    client.force_login(author)
    html = client.get(reverse("journal:edit", args=[entry.pk])).content.decode()
    for attachment in entry.attachments.all():
        field_id = f'id="id_remove_attachments_{list(entry.attachments.all()).index(attachment)}"'
        assert field_id in html
        assert f'value="{attachment.pk}"' in html
        assert f"Supprimer « {attachment.name} »" in html
    assert 'class="fr-fieldset__element' in html and "fr-checkbox-group" in html
    # A message without attachment offers nothing to delete.
    bare = post(site, author)
    html = client.get(reverse("journal:edit", args=[bare.pk])).content.decode()
    assert "remove_attachments" not in html


def test_the_author_removes_one_of_two_attachments(
    client, site, author, storage_root, django_capture_on_commit_callbacks
):
    entry = post(site, author, "plan.pdf", "photo.pdf")
    removed, kept = entry.attachments.order_by("pk")
    assert stored(removed, storage_root) and stored(kept, storage_root)
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("journal:edit", args=[entry.pk]),
            edit_data(entry, remove_attachments=[removed.pk]),
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        # The row is gone at once; the file only once the transaction has committed.
        assert not Attachment.objects.filter(pk=removed.pk).exists()
        assert stored(removed, storage_root)
    for callback in callbacks:
        callback()
    assert not stored(removed, storage_root)
    assert stored(kept, storage_root)
    assert list(entry.attachments.all()) == [kept]
    revision = entry.revisions.get()
    assert revision.removed_attachments == ["plan.pdf"]
    assert revision.replaced_by == author
    assert client.get(reverse("journal:attachment", args=[removed.pk])).status_code == 404
    # The kept file is still served to its readers (last: closing a streamed response closes
    # the test's database connection).
    download = client.get(reverse("journal:attachment", args=[kept.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    download.close()


def test_an_edit_without_removal_keeps_every_file(client, site, author, storage_root):
    entry = post(site, author, "plan.pdf")
    client.force_login(author)
    response = client.post(
        reverse("journal:edit", args=[entry.pk]), edit_data(entry, text="Texte corrigé.")
    )
    assert response.status_code == 302
    assert entry.attachments.count() == 1
    assert entry.revisions.get().removed_attachments == []


@pytest.mark.parametrize("who", ["moderator", "reader"])
def test_only_the_author_removes_attachments(client, site, author, storage_root, who):
    entry = post(site, author, "plan.pdf")
    attachment = entry.attachments.get()
    other = UserFactory(role=Role.LOCAL_ADMIN if who == "moderator" else Role.INTERVENANT)
    give_area(other, site.commune.department if who == "moderator" else site.commune)
    client.force_login(other)
    response = client.post(
        reverse("journal:edit", args=[entry.pk]),
        edit_data(entry, remove_attachments=[attachment.pk]),
    )
    assert response.status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert stored(attachment, storage_root)
    assert not entry.revisions.exists()


def test_a_forged_post_cannot_remove_another_entrys_attachment(client, site, author, storage_root):
    mine = post(site, author, "mien.pdf")
    someone = UserFactory(role=Role.LOCAL_ADMIN)
    give_area(someone, site.commune.department)
    theirs = post(site, someone, "autre.pdf").attachments.get()
    # Even an author's own other entry: only the edited entry's files may go.
    own_other = post(site, author, "ailleurs.pdf").attachments.get()
    client.force_login(author)
    for target in (theirs, own_other):
        response = client.post(
            reverse("journal:edit", args=[mine.pk]),
            edit_data(mine, remove_attachments=[target.pk]),
        )
        assert response.status_code == 200
        assert "remove_attachments" in response.context["form"].errors
        assert Attachment.objects.filter(pk=target.pk).exists()
        assert stored(target, storage_root)
    assert mine.attachments.count() == 1
    assert not mine.revisions.exists()
    # The service ignores another entry's attachment too.
    services.edit_entry(
        entry=mine, by=author, text=mine.text, audience=mine.audience, remove=[theirs]
    )
    assert Attachment.objects.filter(pk=theirs.pk).exists()
    assert mine.revisions.get().removed_attachments == []


def test_the_limit_counts_the_kept_attachments(client, site, author, storage_root):
    entry = post(site, author, *[f"piece-{n}.pdf" for n in range(1, files.MAX_FILES)])
    attachments = list(entry.attachments.order_by("pk"))
    url = reverse("journal:edit", args=[entry.pk])
    client.force_login(author)

    # Four kept + two new: refused, nothing changes.
    response = client.post(
        url, edit_data(entry, attachments=[pdf("nouvelle-1.pdf"), pdf("nouvelle-2.pdf")])
    )
    assert response.status_code == 200
    assert "attachments" in response.context["form"].errors
    assert entry.attachments.count() == files.MAX_FILES - 1

    # Removing one makes room: three kept + two new = five.
    response = client.post(
        url,
        edit_data(
            entry,
            remove_attachments=[attachments[0].pk],
            attachments=[pdf("nouvelle-1.pdf"), pdf("nouvelle-2.pdf")],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    names = sorted(entry.attachments.values_list("name", flat=True))
    assert names == [
        "nouvelle-1.pdf",
        "nouvelle-2.pdf",
        "piece-2.pdf",
        "piece-3.pdf",
        "piece-4.pdf",
    ]
    assert entry.revisions.get().removed_attachments == ["piece-1.pdf"]

    # Full: one more only with one removed.
    response = client.post(url, edit_data(entry, attachments=[pdf("de-trop.pdf")]))
    assert response.status_code == 200
    assert entry.attachments.count() == files.MAX_FILES
