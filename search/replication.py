"""Copying pending search documents to Elasticsearch, with bulk requests.

A row is sent with the `revision` it had when read; once Elasticsearch has acknowledged it, the
row is marked clean only if its revision has not moved meanwhile (a change made during the push
stays pending for the next one). Tombstones are deleted once Elasticsearch has dropped the
document. When the cluster is unreachable nothing is marked: the backlog waits for the next push
(`manage.py search_push`, the task enqueued after each write, or the periodic cron).

`rebuild_index` fills a new physical index from the rows while the alias keeps serving the old
one, catches up with the rows changed meanwhile, swaps the alias atomically, and leaves whatever
changed after that to the ordinary push (see `search.backends.elasticsearch`).
"""

import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from elasticsearch import helpers

from search.backends.elasticsearch import (
    UNAVAILABLE,
    IndexState,
    client,
    create_physical_index,
    delete_previous,
    document_body,
    ensure_index,
    index_name,
    index_state,
    swap_alias,
)
from search.models import SearchDocument

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


@dataclass
class PushReport:
    indexed: int = 0
    deleted: int = 0
    failed: int = 0
    unavailable: bool = False

    @property
    def pushed(self) -> int:
        return self.indexed + self.deleted


def _actions(rows, index):
    for row in rows:
        if row.deleted:
            yield {"_op_type": "delete", "_index": index, "_id": row.ref}
        else:
            yield {
                "_op_type": "index",
                "_index": index,
                "_id": row.ref,
                "_source": document_body(row),
            }


def _mark_clean(pairs: list[tuple[int, int]]) -> None:
    if not pairs:
        return
    table = SearchDocument._meta.db_table
    values = ", ".join(["(%s, %s)"] * len(pairs))
    params = [value for pair in pairs for value in pair]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS doc SET es_pending = false "  # noqa: S608
            f"FROM (VALUES {values}) AS sent(id, revision) "
            "WHERE doc.id = sent.id AND doc.revision = sent.revision AND NOT doc.deleted "
            "AND doc.es_pending",  # rewriting a clean row would only churn its GIN indexes
            params,
        )
        cursor.execute(
            f"DELETE FROM {table} AS doc "  # noqa: S608
            f"USING (VALUES {values}) AS sent(id, revision) "
            "WHERE doc.id = sent.id AND doc.revision = sent.revision AND doc.deleted",
            params,
        )


def push_pending(*, batch_size: int = BATCH_SIZE, limit: int | None = None, progress=None):
    """Send every pending document to Elasticsearch; returns a PushReport."""
    report = PushReport()
    es = client()
    index = index_name()
    try:
        ensure_index()
    except UNAVAILABLE as error:
        logger.warning("Elasticsearch unavailable, %s", error)
        report.unavailable = True
        return report
    last_id = 0
    while limit is None or report.pushed < limit:
        rows = list(
            SearchDocument.objects.pending()
            .filter(pk__gt=last_id)
            .defer("search_vector", "names")
            .order_by("pk")[:batch_size]
        )
        if not rows:
            break
        last_id = rows[-1].pk
        by_ref = {row.ref: row for row in rows}
        clean: list[tuple[int, int]] = []
        try:
            for ok, item in helpers.streaming_bulk(
                es,
                _actions(rows, index),
                chunk_size=batch_size,
                raise_on_error=False,
                raise_on_exception=True,
                max_retries=0,
            ):
                operation, result = next(iter(item.items()))
                row = by_ref[result["_id"]]
                if ok or (operation == "delete" and result.get("status") == 404):
                    clean.append((row.pk, row.revision))
                    if row.deleted:
                        report.deleted += 1
                    else:
                        report.indexed += 1
                else:
                    report.failed += 1
                    logger.error("Elasticsearch refused %s: %s", row.ref, result.get("error"))
        except UNAVAILABLE as error:
            logger.warning("Elasticsearch unavailable during a push: %s", error)
            report.unavailable = True
            _mark_clean(clean)
            break
        _mark_clean(clean)
        if progress is not None:
            progress(len(rows))
    try:
        es.indices.refresh(index=index)
    except UNAVAILABLE:
        report.unavailable = True
    return report


def pending_count() -> int:
    return SearchDocument.objects.pending().count()


# --- Rebuilding the index behind the alias -------------------------------------------------------

#: pg_try_advisory_lock key: one rebuild at a time per database
REBUILD_LOCK = 0x5EA2C4
#: catch-up rounds before the swap (each one sends what changed during the previous one)
CATCH_UP_ROUNDS = 3


class RebuildRunning(Exception):
    """Another process holds the rebuild lock."""


@dataclass
class RebuildReport:
    index: str = ""
    previous: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    legacy: bool = False
    #: documents loaded per type (the first bulk load)
    loaded: dict[str, int] = field(default_factory=dict)
    #: documents sent again, or deleted, because they changed during the load
    caught_up: int = 0
    failed: int = 0
    #: documents changed too late for the new index before the swap, left to the push
    left_pending: int = 0
    push: PushReport | None = None

    @property
    def total(self) -> int:
        return sum(self.loaded.values())


@contextmanager
def _rebuild_lock():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [REBUILD_LOCK])
        if not cursor.fetchone()[0]:
            raise RebuildRunning("Another search index rebuild is running.")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [REBUILD_LOCK])


def _send(es, index: str, actions, *, batch_size: int) -> tuple[int, set[str]]:
    """Bulk-send actions to one index; returns (succeeded, ids refused)."""
    succeeded, refused = 0, set()
    for ok, item in helpers.streaming_bulk(
        es,
        actions,
        chunk_size=batch_size,
        raise_on_error=False,
        raise_on_exception=True,
        max_retries=0,
    ):
        operation, result = next(iter(item.items()))
        if ok or (operation == "delete" and result.get("status") == 404):
            succeeded += 1
        else:
            refused.add(result.get("_id"))
            logger.error("Elasticsearch refused %s: %s", result.get("_id"), result.get("error"))
    return succeeded, refused


def _changes(loaded: dict[str, tuple[int, int]]) -> tuple[list[int], list[str]]:
    """Rows that differ from what the new index holds: (alive rows to send, refs to delete).

    `loaded` maps each ref in the new index to the (pk, revision) sent. Every write bumps the
    revision, so comparing revisions finds every change committed since, whatever its clock.
    """
    stale: list[int] = []
    seen: set[str] = set()
    rows = SearchDocument.objects.values_list("pk", "ref", "revision", "deleted")
    for pk, ref, revision, deleted in rows.iterator(chunk_size=5000):
        if deleted:
            continue
        seen.add(ref)
        if loaded.get(ref, (None, None))[1] != revision:
            stale.append(pk)
    gone = [ref for ref in loaded if ref not in seen]
    return stale, gone


def _load(es, index, queryset, loaded, *, batch_size, progress=None, per_type=None) -> int:
    failed = 0
    last_id = 0
    while True:
        rows = list(
            queryset.filter(pk__gt=last_id)
            .defer("search_vector", "names")
            .order_by("pk")[:batch_size]
        )
        if not rows:
            return failed
        last_id = rows[-1].pk
        _ok, refused = _send(es, index, _actions(rows, index), batch_size=batch_size)
        failed += len(refused)
        for row in rows:
            if row.ref in refused:  # not in the new index: stays pending, retried by the push
                continue
            loaded[row.ref] = (row.pk, row.revision)
            if per_type is not None:
                per_type[row.doc_type] = per_type.get(row.doc_type, 0) + 1
        if progress is not None:
            progress(len(rows))


def _catch_up(es, index, loaded, *, batch_size) -> tuple[int, int]:
    """Send into `index` what changed since it was loaded; returns (documents sent, failed)."""
    stale, gone = _changes(loaded)
    sent = failed = 0
    for start in range(0, len(stale), batch_size):
        pks = stale[start : start + batch_size]
        rows = list(SearchDocument.objects.alive().filter(pk__in=pks).defer("search_vector"))
        ok, refused = _send(es, index, _actions(rows, index), batch_size=batch_size)
        sent, failed = sent + ok, failed + len(refused)
        for row in rows:
            if row.ref in refused:
                loaded.pop(row.ref, None)
            else:
                loaded[row.ref] = (row.pk, row.revision)
    if gone:
        deletes = ({"_op_type": "delete", "_index": index, "_id": ref} for ref in gone)
        ok, refused = _send(es, index, deletes, batch_size=batch_size)
        sent, failed = sent + ok, failed + len(refused)
        for ref in gone:
            if ref not in refused:
                loaded.pop(ref, None)
    return sent, failed


def _settle(es, loaded, *, batch_size) -> int:
    """After the swap: what the new index holds is clean, later changes are pending again."""
    pairs = list(loaded.values())
    for start in range(0, len(pairs), batch_size):
        _mark_clean(pairs[start : start + batch_size])
    stale, gone = _changes(loaded)
    for start in range(0, len(stale), batch_size):
        SearchDocument.objects.filter(pk__in=stale[start : start + batch_size]).update(
            es_pending=True
        )
    tombstones = set(
        SearchDocument.objects.filter(ref__in=gone, deleted=True).values_list("ref", flat=True)
    )
    SearchDocument.objects.filter(ref__in=tombstones).update(es_pending=True)
    vanished = [ref for ref in gone if ref not in tombstones]
    if vanished:
        alias = index_name()
        deletes = ({"_op_type": "delete", "_index": alias, "_id": ref} for ref in vanished)
        _send(es, alias, deletes, batch_size=batch_size)
    return len(stale) + len(gone)


def _drop_unused(es, name: str) -> None:
    """Delete an abandoned new index, unless the alias points to it (a swap that timed out)."""
    try:
        if name not in index_state().indices:
            es.options(ignore_status=[404]).indices.delete(index=name)
    except UNAVAILABLE as error:  # left as an orphan: the next rebuild deletes it
        logger.warning("Could not delete the abandoned search index %s: %s", name, error)


def rebuild_index(
    *,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    before_swap: Callable[[str], None] | None = None,
) -> RebuildReport:
    """Rebuild the Elasticsearch index from the rows without a moment of partial search.

    1. create `<alias>-<timestamp>` with the mapping in code, outside the alias;
    2. bulk-load every live row into it, remembering each (ref, revision) sent — meanwhile
       searches and pushes still use the alias (the old index);
    3. catch up: send into the new index the rows whose revision moved during the load;
    4. swap the alias in one `update_aliases` request (an older deployment's plain index is
       removed by the same request) and delete the previous indices;
    5. mark clean what the new index holds, and pending again whatever changed after the last
       catch-up (a push to the old index may have cleared it), then push.

    Raises `RebuildRunning` when another rebuild holds the lock, and the client's errors when
    the cluster is unreachable (the alias is untouched until step 4).
    """
    es = client()
    report = RebuildReport()
    with _rebuild_lock():
        state: IndexState = index_state()
        report.previous, report.legacy = list(state.indices), state.legacy
        report.index = create_physical_index()
        loaded: dict[str, tuple[int, int]] = {}
        try:
            report.failed += _load(
                es,
                report.index,
                SearchDocument.objects.alive(),
                loaded,
                batch_size=batch_size,
                progress=progress,
                per_type=report.loaded,
            )
            for _round in range(CATCH_UP_ROUNDS):
                sent, failed = _catch_up(es, report.index, loaded, batch_size=batch_size)
                report.caught_up, report.failed = report.caught_up + sent, report.failed + failed
                if not sent:
                    break
            es.indices.refresh(index=report.index)
            if before_swap is not None:
                before_swap(report.index)
            sent, failed = _catch_up(es, report.index, loaded, batch_size=batch_size)
            report.caught_up, report.failed = report.caught_up + sent, report.failed + failed
            es.indices.refresh(index=report.index)
            # The state may have moved (an `ensure_index` bootstrap): swap from what is live now.
            live = index_state()
            swap_alias(report.index, live)
        except BaseException:
            _drop_unused(es, report.index)
            raise
        report.deleted = delete_previous(report.index, live)
        report.left_pending = _settle(es, loaded, batch_size=batch_size)
    report.push = push_pending(batch_size=batch_size)
    return report
