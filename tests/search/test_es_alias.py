"""The Elasticsearch index lives behind an alias: a rebuild fills a new physical index while
the old one answers, swaps the alias atomically and loses no write made meanwhile.

Run on noida-db (an Elasticsearch-API emulator); production is a real Elasticsearch 8 cluster.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from directory.enums import Role
from search import access
from search.backends import SearchRequest, get_backend
from search.backends import elasticsearch as es_backend
from search.backends.elasticsearch import (
    MAPPING_VERSION,
    SearchDocumentIndex,
    client,
    index_name,
    index_state,
)
from search.models import SearchDocument
from search.replication import REBUILD_LOCK, RebuildRunning, push_pending, rebuild_index
from tests.directory.factories import UserFactory, give_area
from tests.search.factories import content_page

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.parametrize("search_backend", ["elasticsearch"], indirect=True),
]


@pytest.fixture
def reader():
    user = UserFactory(role=Role.NATIONAL_ADMIN)
    give_area(user, None)
    return user


def titles(user, text=""):
    results = get_backend().search(SearchRequest(text=text, per_page=50), access.reader_keys(user))
    assert not results.fallback
    return sorted(hit.title for hit in results.hits)


def aliases() -> dict:
    """Physical index -> aliases, for this test's indices only."""
    body = client().indices.get_alias(index=f"{index_name()}*").body
    return {name: sorted(value["aliases"]) for name, value in body.items()}


def test_the_first_push_creates_a_versioned_index_behind_the_alias(search_backend, reader):
    content_page("Guide Alias", "<p>Premier guide.</p>")
    search_backend.sync()
    state = index_state()
    assert not state.legacy and len(state.indices) == 1
    (physical,) = state.indices
    assert physical.startswith(f"{index_name()}-") and physical != index_name()
    assert aliases() == {physical: [index_name()]}
    assert state.versions == {physical: MAPPING_VERSION}
    assert state.current
    assert titles(reader, "alias") == ["Guide Alias"]


def test_a_rebuild_swaps_the_alias_to_a_new_index_and_deletes_the_old(search_backend, reader):
    content_page("Guide Un", "<p>Texte.</p>")
    content_page("Guide Deux", "<p>Texte.</p>")
    search_backend.sync()
    (old,) = index_state().indices

    report = rebuild_index()

    (new,) = index_state().indices
    assert new == report.index and new != old
    assert report.previous == [old] and report.deleted == [old]
    assert aliases() == {new: [index_name()]}
    assert not client().indices.exists(index=old)
    assert report.loaded["page"] == SearchDocument.objects.alive().filter(doc_type="page").count()
    assert titles(reader, "guide") == ["Guide Deux", "Guide Un"]
    # Everything the new index holds is clean: nothing is sent twice.
    assert not SearchDocument.objects.pending().exists()


def test_search_answers_from_the_old_index_until_the_swap(search_backend, reader):
    content_page("Guide Ancien", "<p>Avant la reconstruction.</p>")
    search_backend.sync()
    (old,) = index_state().indices
    seen = {}

    def before_swap(new):
        # The new index is full, but the alias still serves the old one.
        seen["alias"] = index_state().indices
        seen["titles"] = titles(reader, "guide")
        seen["new count"] = client().count(index=new)["count"]

    rebuild_index(before_swap=before_swap)
    assert seen["alias"] == [old]
    assert seen["titles"] == ["Guide Ancien"]
    assert seen["new count"] == SearchDocument.objects.alive().count()
    assert titles(reader, "guide") == ["Guide Ancien"]


def test_writes_made_during_the_rebuild_are_not_lost(search_backend, reader):
    edited = content_page("Guide Modifié", "<p>Version une.</p>")
    removed = content_page("Guide Supprimé", "<p>Bientôt parti.</p>")
    search_backend.sync()

    def during_load(new):
        # Writes land in PostgreSQL and are pushed through the alias, i.e. to the old index.
        content_page("Guide Pendant", "<p>Créé pendant la reconstruction.</p>")
        edited.title = "Guide Réécrit"
        edited.save_revision().publish()
        removed.delete()
        push_pending()

    report = rebuild_index(before_swap=during_load)
    assert report.caught_up >= 3
    assert titles(reader, "guide") == ["Guide Pendant", "Guide Réécrit"]
    assert not SearchDocument.objects.pending().exists()


def test_a_change_after_the_last_catch_up_stays_pending_and_reaches_the_new_index(
    search_backend, reader, monkeypatch
):
    content_page("Guide Stable", "<p>Texte.</p>")
    search_backend.sync()
    from search import replication

    original = replication.swap_alias

    def write_then_swap(new, state):
        # Too late for the catch-up: written and pushed to the old index right before the swap.
        content_page("Guide Tardif", "<p>Juste avant la bascule.</p>")
        push_pending()
        assert not SearchDocument.objects.pending().exists()
        original(new, state)

    monkeypatch.setattr(replication, "swap_alias", write_then_swap)
    report = rebuild_index()
    assert report.left_pending == 1
    assert report.push.indexed == 1
    assert titles(reader, "guide") == ["Guide Stable", "Guide Tardif"]


def test_a_second_rebuild_is_idempotent(search_backend, reader):
    content_page("Guide Idempotent", "<p>Texte.</p>")
    first = rebuild_index()
    second = rebuild_index()
    assert second.previous == [first.index] and second.deleted == [first.index]
    assert index_state().indices == [second.index]
    assert list(aliases()) == [second.index]
    assert second.loaded == first.loaded
    assert second.failed == 0 and second.push.pushed == 0
    assert titles(reader, "idempotent") == ["Guide Idempotent"]


def test_the_command_rebuilds_behind_the_alias_and_reports_counts(search_backend, reader):
    # A made-up word: the rebuild also indexes the fixtures' people, whose random (Faker) names
    # and organisations could come close enough to a real word for the fuzzy search to find.
    content_page("Guide Zorblatex", "<p>Texte.</p>")
    search_backend.sync()
    (old,) = index_state().indices
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    output = out.getvalue()
    (new,) = index_state().indices
    assert new != old and not client().indices.exists(index=old)
    assert f"the alias now points to {new}" in output
    pages = SearchDocument.objects.alive().filter(doc_type="page").count()
    assert f"total {SearchDocument.objects.alive().count()}" in output
    assert f": {pages}" in output
    assert titles(reader, "zorblatex") == ["Guide Zorblatex"]


def test_a_legacy_plain_index_is_migrated_behind_an_alias(search_backend, reader):
    # An older deployment: a plain index carrying the alias name, written by the old code.
    page = content_page("Guide Historique", "<p>Texte.</p>")
    legacy = SearchDocumentIndex._index.clone(name=index_name())
    legacy.create(using=client())
    search_backend.sync()
    state = index_state()
    assert state.legacy and state.indices == [index_name()]
    assert titles(reader, "historique") == ["Guide Historique"]
    with pytest.raises(CommandError, match="plain index"):
        call_command("rebuild_search_index", "--check", stdout=StringIO())

    page.title = "Guide Historique Migré"
    page.save_revision().publish()  # pending: the migration must carry it
    out = StringIO()
    call_command("search_push", stdout=out)

    assert "moving it behind an alias" in out.getvalue()
    state = index_state()
    assert not state.legacy and state.current
    (physical,) = state.indices
    assert aliases() == {physical: [index_name()]}
    assert titles(reader, "historique") == ["Guide Historique Migré"]
    call_command("rebuild_search_index", "--check", stdout=StringIO())


def test_check_reports_a_mapping_version_change(search_backend, monkeypatch):
    content_page("Guide Version", "<p>Texte.</p>")
    search_backend.sync()
    out = StringIO()
    call_command("rebuild_search_index", "--check", stdout=out)
    assert f"mapping version {MAPPING_VERSION} (current)" in out.getvalue()

    monkeypatch.setattr(es_backend, "MAPPING_VERSION", MAPPING_VERSION + 1)
    with pytest.raises(CommandError, match=f"expects {MAPPING_VERSION + 1}"):
        call_command("rebuild_search_index", "--check", stdout=StringIO())
    call_command("rebuild_search_index", "--elasticsearch-only", stdout=StringIO())
    call_command("rebuild_search_index", "--check", stdout=StringIO())
    assert index_state().versions == {index_state().indices[0]: MAPPING_VERSION + 1}


def test_check_catches_a_mapping_change_without_a_version_bump(search_backend, monkeypatch):
    content_page("Guide Empreinte", "<p>Texte.</p>")
    search_backend.sync()
    monkeypatch.setattr(es_backend, "mapping_fingerprint", lambda: "another-mapping")
    with pytest.raises(CommandError, match="bump MAPPING_VERSION"):
        call_command("rebuild_search_index", "--check", stdout=StringIO())


def test_check_reports_a_missing_index(search_backend):
    with pytest.raises(CommandError, match="no index behind"):
        call_command("rebuild_search_index", "--check", stdout=StringIO())


def test_an_interrupted_rebuild_leaves_the_alias_and_its_orphan_is_cleaned(search_backend, reader):
    content_page("Guide Intact", "<p>Texte.</p>")
    search_backend.sync()
    (live,) = index_state().indices

    def fail(new):
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        rebuild_index(before_swap=fail)
    assert index_state().indices == [live]
    assert list(aliases()) == [live]  # the half-built index was dropped
    assert titles(reader, "intact") == ["Guide Intact"]

    orphan = es_backend.create_physical_index()  # e.g. a process killed mid-rebuild
    report = rebuild_index()
    assert set(report.deleted) == {live, orphan}
    assert list(aliases()) == [report.index]


def test_one_rebuild_at_a_time(search_backend):
    other = connections.create_connection("default")  # another process, in effect
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [REBUILD_LOCK])
        with pytest.raises(RebuildRunning):
            rebuild_index()
        with pytest.raises(CommandError, match="Another search index rebuild is running"):
            call_command("rebuild_search_index", "--elasticsearch-only", stdout=StringIO())
    finally:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [REBUILD_LOCK])
        other.close()
    assert rebuild_index().index == index_state().indices[0]


def test_a_document_refused_by_the_new_index_stays_pending(search_backend, reader, monkeypatch):
    good = content_page("Guide Accepté", "<p>Texte.</p>")
    bad = content_page("Guide Refusé", "<p>Texte.</p>")
    search_backend.sync()
    from search import replication

    original = replication.document_body

    def body(row):
        source = original(row)
        if row.ref == f"page:{bad.pk}":
            source["year"] = "not a year"  # the integer field refuses it
        return source

    monkeypatch.setattr(replication, "document_body", body)
    report = rebuild_index()
    assert report.failed >= 1
    assert SearchDocument.objects.pending().filter(ref=f"page:{bad.pk}").exists()
    assert not SearchDocument.objects.pending().filter(ref=f"page:{good.pk}").exists()
    with pytest.raises(CommandError, match="refused"):
        call_command("rebuild_search_index", "--elasticsearch-only", stdout=StringIO())
    monkeypatch.setattr(replication, "document_body", original)
    assert push_pending().indexed == 1
    assert titles(reader, "guide") == ["Guide Accepté", "Guide Refusé"]
