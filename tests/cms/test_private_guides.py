"""A guide made private (Wagtail's page privacy, on it or on a page above it) leaves the search at
once, and the documents that only private guides use are not downloadable anonymously: documents
are served with the privacy of the pages that use them."""

from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction, ReferenceIndex

from cms.models import GuideIndexPage, GuidePage
from search.models import SearchDocument
from tests.cms.factories import add_page
from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db


def page_document(page):
    return SearchDocument.objects.filter(ref=f"page:{page.pk}", deleted=False).first()


@pytest.mark.parametrize("restrict", ["guide", "index"])
def test_a_guide_made_private_leaves_the_search_and_comes_back(restrict):
    guides = add_page(GuideIndexPage, title="Guides")
    guide = add_page(GuidePage, parent=guides, title="Guide hébergement", body=[])
    assert page_document(guide) is not None

    restriction = PageViewRestriction.objects.create(
        page=guide if restrict == "guide" else guides,
        restriction_type=PageViewRestriction.LOGIN,
    )
    assert page_document(guide) is None
    if restrict == "index":
        assert page_document(guides) is None

    restriction.delete()
    assert page_document(guide) is not None


@pytest.fixture
def documents(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    guides = add_page(GuideIndexPage, title="Guides")
    reserved = add_page(GuidePage, parent=guides, title="Guide réservé", body=[])
    public = add_page(GuidePage, parent=guides, title="Guide public", body=[])
    PageViewRestriction.objects.create(page=reserved, restriction_type=PageViewRestriction.LOGIN)
    made = {}
    for key, page in (("reserved", reserved), ("public", public), ("unused", None)):
        document = Document.objects.create(
            title=key, file=ContentFile(f"contenu {key}".encode(), name=f"{key}.txt")
        )
        made[key] = document
        if page is not None:
            page.body = [("document", {"document": document, "title": "Télécharger"})]
            page.save_revision().publish()
            # The background worker keeps Wagtail's reference index up to date; do its work here.
            ReferenceIndex.create_or_update_for_object(page)
    return made


def download(client, document):
    return client.get(reverse("wagtaildocs_serve", args=[document.pk, document.filename]))


def content(response) -> bytes:
    return b"".join(response.streaming_content)  # read to the end, the test client closes it


def test_a_document_only_private_guides_use_needs_a_login(client, documents):
    for key in ("reserved", "unused"):
        response = download(client, documents[key])
        assert response.status_code == 302, key
        assert urlsplit(response.url).path == reverse("login")

    public = download(client, documents["public"])
    assert public.status_code == 200
    assert content(public) == b"contenu public"


def test_members_download_the_documents_of_private_guides(client, documents):
    client.force_login(UserFactory())
    response = download(client, documents["reserved"])
    assert response.status_code == 200
    assert content(response) == b"contenu reserved"
