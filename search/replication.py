"""Copying pending search documents to Elasticsearch, with bulk requests.

A row is sent with the `revision` it had when read; once Elasticsearch has acknowledged it, the
row is marked clean only if its revision has not moved meanwhile (a change made during the push
stays pending for the next one). Tombstones are deleted once Elasticsearch has dropped the
document. When the cluster is unreachable nothing is marked: the backlog waits for the next push
(`manage.py search_push`, the task enqueued after each write, or the periodic cron).
"""

import logging
from dataclasses import dataclass

from django.db import connection, transaction
from elasticsearch import helpers

from search.backends.elasticsearch import (
    UNAVAILABLE,
    client,
    document_body,
    ensure_index,
    index_name,
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
            "WHERE doc.id = sent.id AND doc.revision = sent.revision AND NOT doc.deleted",
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
