"""Decree attachments: accepted by their content, capped in size, served only to users with the
justice right, never from a public URL."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.enums import Role
from sitepages.models import DecreeAttachment
from sitepages.models.attachments import MAX_ATTACHMENT_SIZE, sniff_kind
from tests.directory.factories import DepartmentFactory
from tests.sitepages.edit_support import site_in, user_with

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def here():
    return DepartmentFactory()


def close_file(response):
    """Read the streamed file to its end: the test client then closes it (calling
    `response.close()` directly would end the test's database connection)."""
    if response.streaming:
        b"".join(response.streaming_content)


def upload(client, site, name, content, title="Arrêté d'expulsion"):
    return client.post(
        reverse("site_attachments", args=[site.pk]),
        {"title": title, "file": SimpleUploadedFile(name, content, "application/pdf")},
    )


@pytest.mark.parametrize(
    "head, kind",
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (b"\xff\xd8\xff\xe0JFIF", "jpeg"),
        (b"MZ\x90\x00", None),
        (b"<html>%PDF-", None),
    ],
)
def test_kinds_are_recognised_by_their_first_bytes(head, kind):
    assert sniff_kind(head) == kind


def test_a_pdf_is_stored_privately_and_downloaded_by_entitled_users(client, here, private_root):
    site = site_in(here)
    admin = user_with(Role.LOCAL_ADMIN, here)
    client.force_login(admin)

    response = upload(client, site, "arrete.pdf", PDF)

    assert response.status_code == 302
    attachment = DecreeAttachment.objects.get()
    assert (attachment.kind, attachment.size, attachment.original_name) == (
        "pdf",
        len(PDF),
        "arrete.pdf",
    )
    stored = private_root / attachment.file.name
    assert stored.read_bytes() == PDF
    assert "arrete" not in attachment.file.name  # random name on disk
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 - no public URL

    download = client.get(reverse("site_attachment_download", args=[site.pk, attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    "name, content",
    [("virus.pdf", b"MZ\x90\x00 not a pdf"), ("page.png", b"<svg onload=alert(1)>")],
)
def test_files_are_judged_by_content_not_by_name(client, here, name, content):
    site = site_in(here)
    client.force_login(user_with(Role.LOCAL_ADMIN, here))
    response = upload(client, site, name, content)
    assert response.status_code == 400
    assert "file" in response.context["form"].errors
    assert not DecreeAttachment.objects.exists()


def test_files_over_the_maximum_size_are_refused(client, here):
    site = site_in(here)
    client.force_login(user_with(Role.LOCAL_ADMIN, here))
    response = upload(client, site, "gros.pdf", PDF + b"0" * MAX_ATTACHMENT_SIZE)
    assert response.status_code == 400
    assert "file" in response.context["form"].errors


# role, area -> list page, download, upload
ACCESS = {
    "local admin here": (Role.LOCAL_ADMIN, "here", 200, 200, 302),
    "correspondant elsewhere (justice nationally, no update)": (
        Role.CORRESPONDANT,
        "elsewhere",
        200,
        200,
        403,
    ),
    "partenaire here (no justice)": (Role.PARTENAIRE_INSTITUTIONNEL, "here", 404, 404, 404),
    "operateur here (no justice)": (Role.OPERATEUR, "here", 404, 404, 404),
    "local admin elsewhere": (Role.LOCAL_ADMIN, "elsewhere", 404, 404, 404),
}


@pytest.mark.parametrize("case", ACCESS)
def test_who_reaches_the_decrees(client, here, case):
    role, area, list_status, download_status, upload_status = ACCESS[case]
    site = site_in(here)
    client.force_login(user_with(Role.LOCAL_ADMIN, here))
    upload(client, site, "arrete.pdf", PDF)
    attachment = DecreeAttachment.objects.get()
    territory = here if area == "here" else DepartmentFactory()
    client.force_login(user_with(role, territory))

    assert client.get(reverse("site_attachments", args=[site.pk])).status_code == list_status
    download = reverse("site_attachment_download", args=[site.pk, attachment.pk])
    response = client.get(download)
    close_file(response)
    assert response.status_code == download_status
    assert upload(client, site, "autre.pdf", PDF).status_code == upload_status
    delete = reverse("site_attachment_delete", args=[site.pk, attachment.pk])
    assert client.post(delete).status_code == (302 if upload_status == 302 else upload_status)


def test_a_decree_sent_as_the_site_is_closed_is_refused_to_who_may_not_correct_it(
    client, here, private_root, monkeypatch
):
    """The view checks the uploader's right on the site it read; a closing saved between that
    check and the upload's lock makes the site read-only for those who may not close it. The
    right is checked again under the lock: 403, nothing stored (the upload used to be kept)."""
    import datetime

    from directory import perms
    from directory.permission_matrix import Feature, UserOption
    from sitepages import services
    from sitepages.models import SitePage

    site = site_in(here)
    # A partner given the justice option: updates open sites and their decrees, closes none.
    user = user_with(Role.PARTENAIRE_INSTITUTIONNEL, here, options=[UserOption.JUSTICE_ACCESS])
    assert perms.can(user, Feature.SITE_UPDATE, site)
    assert perms.can(user, Feature.SITE_JUSTICE, site)
    assert not perms.can(user, Feature.SITE_CLOSE, site)
    lock_site = services.lock_site

    def closed_meanwhile(target):
        SitePage.objects.filter(pk=site.pk).update(closed_at=datetime.date(2026, 1, 5))
        return lock_site(target)

    monkeypatch.setattr(services, "lock_site", closed_meanwhile)
    client.force_login(user)

    response = upload(client, site, "arrete.pdf", PDF)

    assert response.status_code == 403
    assert not DecreeAttachment.objects.exists()
    assert not any(path.is_file() for path in private_root.rglob("*"))
