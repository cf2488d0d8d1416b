"""Findings of a day of real use on the journal (issue 16): each test failed before its fix."""

import pytest
from django.urls import reverse

from directory.enums import Role
from journal.enums import Audience
from journal.models import Entry
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return SitePageFactory(commune=CommuneFactory(department=DepartmentFactory()))


@pytest.fixture
def author(client, site):
    user = UserFactory(role=Role.OPERATEUR)
    give_area(user, site.commune.department)
    client.force_login(user)
    return user


def test_after_posting_the_page_opens_at_the_new_message(client, site, author):
    stream = reverse("journal:site", args=[site.pk])
    response = client.post(
        reverse("journal:post", args=[site.pk]),
        {"text": "Passage ce matin.", "audience": Audience.SITE_READERS, "next": stream},
    )
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{stream}#message-{entry.pk}"
    assert f'id="message-{entry.pk}"' in client.get(stream).content.decode()


def test_a_failed_submission_says_the_attachments_must_be_added_again(client, site, author):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.journal.conftest import PDF_BYTES

    response = client.post(
        reverse("journal:post", args=[site.pk]),
        {
            "text": "Compte rendu joint.",
            "audience": "pas-une-audience",
            "attachments": [SimpleUploadedFile("compte-rendu.pdf", PDF_BYTES)],
        },
    )
    assert response.status_code in (200, 400)
    assert not Entry.objects.exists()
    content = response.content.decode()
    assert "Compte rendu joint." in content
    assert "joignez-le de nouveau (compte-rendu.pdf)" in content
