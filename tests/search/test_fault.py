"""Elasticsearch goes down: writes succeed, search answers from PostgreSQL, and the backlog
replays once the server is back."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from directory.enums import Role
from search import access
from search.backends import SearchRequest, get_backend
from search.models import SearchDocument
from search.replication import push_pending
from tests.directory.factories import UserFactory, give_area
from tests.search.factories import Territories, content_page
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def elasticsearch(search_backend):
    assert search_backend.name == "elasticsearch", "parametrize search_backend with elasticsearch"
    return search_backend


def _search(user, text):
    return get_backend().search(SearchRequest(text=text), access.reader_keys(user))


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("search_backend", ["elasticsearch"], indirect=True)
def test_writes_and_search_survive_an_outage_and_the_backlog_replays(elasticsearch):
    server = elasticsearch.server
    reader = UserFactory(role=Role.NATIONAL_ADMIN)
    give_area(reader, None)
    territories = Territories()
    before = SitePageFactory(commune=territories.c1, name="Terrain Avant")
    run_worker()
    assert [hit.title for hit in _search(reader, "avant").hits] == [before.title]

    server.stop()
    try:
        # Creating and editing content still works; the task finds the server down and keeps
        # the documents pending.
        pushes = DBTaskResult.objects.filter(task_path="search.tasks.push_pending_documents")
        tasks_before = pushes.count()
        with transaction.atomic():
            site = SitePageFactory(commune=territories.c1, name="Terrain Pendant")
            site.name = "Terrain Pendant Panne"
            site.title = site.default_title()
            site.save_revision().publish()
            content_page("Guide Panne", "<p>Écrit pendant la panne.</p>")
        # One push per transaction, enqueued after the commit, not one per write.
        assert pushes.count() == tasks_before + 1
        run_worker()
        assert SearchDocument.objects.pending().filter(title__contains="Panne").count() == 2
        assert push_pending().unavailable

        results = _search(reader, "panne")
        assert results.fallback and results.backend == "postgres"
        assert {hit.title for hit in results.hits} == {site.title, "Guide Panne"}
        suggestions = get_backend().suggest("Pendant", access.reader_keys(reader))
        assert site.title in [item["title"] for item in suggestions]
        with pytest.raises(CommandError, match="unreachable"):
            call_command("search_push", stdout=StringIO())
    finally:
        server.start()

    # Back: the next write's task (or the periodic `search_push`) replays the whole backlog.
    content_page("Guide Après", "<p>Après la panne.</p>")
    run_worker()
    assert not SearchDocument.objects.pending().exists()
    results = _search(reader, "panne")
    assert not results.fallback and results.backend == "elasticsearch"
    assert {hit.title for hit in results.hits} == {site.title, "Guide Panne", "Guide Après"}


@pytest.mark.parametrize("search_backend", ["elasticsearch"], indirect=True)
def test_the_push_keeps_changes_made_meanwhile(elasticsearch):
    page = content_page("Version une", "<p>Texte.</p>")
    row = SearchDocument.objects.get(ref=f"page:{page.pk}")
    from search import replication

    original = replication._mark_clean

    def edit_during_push(pairs):
        # Another transaction changes the page while its previous version is being sent.
        page.title = "Version deux"
        page.save_revision().publish()
        original(pairs)

    replication._mark_clean = edit_during_push
    try:
        push_pending()
    finally:
        replication._mark_clean = original
    row.refresh_from_db()
    assert row.es_pending and row.title == "Version deux"
    push_pending()
    row.refresh_from_db()
    assert not row.es_pending


@pytest.mark.parametrize("search_backend", ["elasticsearch"], indirect=True)
def test_deletions_reach_elasticsearch_then_the_tombstone_goes(elasticsearch):
    reader = UserFactory(role=Role.NATIONAL_ADMIN)
    give_area(reader, None)
    page = content_page("Guide Éphémère", "<p>Bientôt supprimé.</p>")
    elasticsearch.sync()
    assert _search(reader, "ephemere").total == 1
    page.delete()
    row = SearchDocument.objects.get(ref=f"page:{page.pk}")
    assert row.deleted and row.es_pending and row.access_keys == []
    assert _search(reader, "ephemere").total == 1  # still in Elasticsearch until the push
    elasticsearch.sync()
    assert _search(reader, "ephemere").total == 0
    assert not SearchDocument.objects.filter(ref=f"page:{page.pk}").exists()
