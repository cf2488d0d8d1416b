"""Search snippets read well on the real demo data: no block ids, no block type names, no
Markdown markup, no words glued across blocks (issue 21, part 9)."""

import re

import pytest
from django.test import Client

from directory.models import User
from search.enums import DocType
from search.models import SearchDocument

pytestmark = pytest.mark.django_db

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
#: the StreamField block type names of the editorial pages (`cms.blocks`)
BLOCK_TYPES = re.compile(
    r"\b(paragraph|callout|accordion|table|image|document|video|tiles|key_figures|group)\b"
)
MARKDOWN = re.compile(r"\*\*|__\w|\]\(|^\s*#{1,6}\s|^\s*[-*+]\s|`", re.MULTILINE)
#: a lower-case letter directly followed by an upper-case one: two blocks glued together
GLUED = re.compile(r"[a-zà-ÿ][A-ZÀ-Ý]")


def _alive():
    return list(SearchDocument.objects.alive().order_by("ref"))


def test_no_demo_document_carries_ids_type_names_or_markdown(demo_data):
    documents = _alive()
    by_type = {doc_type: [d for d in documents if d.doc_type == doc_type] for doc_type in DocType}
    # The demo has guides, journal messages and forum questions written in Markdown.
    assert by_type[DocType.PAGE] and by_type[DocType.JOURNAL] and by_type[DocType.TOPIC]
    for document in documents:
        text = document.text
        assert not UUID.search(text), (document.ref, text)
        assert not BLOCK_TYPES.search(text), (document.ref, text)
        assert not MARKDOWN.search(text), (document.ref, text)
        assert not GLUED.search(text), (document.ref, text)


def test_a_guide_reads_block_by_block(demo_data):
    from cms.models import GuidePage

    guide = GuidePage.objects.get(slug="renseigner-un-site")
    text = " ".join(SearchDocument.objects.alive().get(ref=f"page:{guide.pk}").text.split())
    assert "sa localisation et son installation ; sa population" in text
    assert "prévention des incendies. Un site complet Un site est complet quand" in text


def test_journal_and_forum_documents_hold_the_rendered_text(demo_data):
    journal = SearchDocument.objects.alive().filter(text__contains="organisée jeudi avec").first()
    assert journal is not None and journal.doc_type == DocType.JOURNAL
    topic = SearchDocument.objects.alive().filter(
        text__contains="avec le centre de vaccination départemental et la PMI"
    )
    assert topic.exists()


def test_the_results_page_shows_readable_snippets(demo_data):
    client = Client()
    client.force_login(User.objects.get(email="national.admin@demo.test"))
    response = client.get("/recherche/", {"q": "incendies"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Renseigner un site et ses conditions de vie" in page
    assert not UUID.search(page)
    assert "callout" not in page
    assert "sitesa" not in page and "incendies.Un" not in page

    response = client.get("/recherche/", {"q": "distribution eau jeudi"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<mark>jeudi</mark>" in page or "jeudi" in page
    assert "**" not in page
