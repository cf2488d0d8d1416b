"""Rebuilding every search document from the content (`manage.py rebuild_search_index`)."""

from collections.abc import Callable

from django.db import connection, transaction

from search.indexing import document_values, remove
from search.models import SearchDocument
from search.sources import SOURCES

BATCH_SIZE = 500
UPDATE_FIELDS = [
    "doc_type",
    "object_id",
    "title",
    "text",
    "names",
    "commune_code",
    "commune_name",
    "department_code",
    "region_code",
    "date",
    "year",
    "status",
    "tags",
    "access_keys",
    "url",
    "deleted",
    "es_pending",
]


def write_batch(values_by_ref: dict[str, dict]) -> None:
    """Upsert documents in one statement, then bump their revisions (marking them pending)."""
    if not values_by_ref:
        return
    SearchDocument.objects.bulk_create(
        [
            SearchDocument(ref=ref, deleted=False, es_pending=True, **values)
            for ref, values in values_by_ref.items()
        ],
        update_conflicts=True,
        unique_fields=["ref"],
        update_fields=UPDATE_FIELDS,
    )
    table = SearchDocument._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET revision = revision + 1 WHERE ref = ANY(%s)",  # noqa: S608
            [list(values_by_ref)],
        )


def rebuild_type(
    doc_type: str, *, progress: Callable[[int], None] | None = None
) -> tuple[int, int]:
    """Re-index every object of one type; returns (indexed, removed)."""
    source = SOURCES[doc_type]
    seen: set[str] = set()
    batch: dict[str, dict] = {}
    indexed = 0

    def flush():
        with transaction.atomic():
            write_batch(batch)
        batch.clear()

    objects = source.all_objects()
    iterator = objects if isinstance(objects, list) else objects.iterator(chunk_size=BATCH_SIZE)
    for obj in iterator:
        ref = source.ref(obj)
        data = source.build(obj)
        if progress is not None:
            progress(1)
        if data is None:
            continue
        seen.add(ref)
        batch[ref] = document_values(doc_type, obj.pk, data)
        indexed += 1
        if len(batch) >= BATCH_SIZE:
            flush()
    flush()
    stale = (
        SearchDocument.objects.alive()
        .filter(doc_type=doc_type)
        .exclude(ref__in=seen)
        .values_list("ref", flat=True)
    )
    removed = 0
    with transaction.atomic():
        for ref in list(stale):
            remove(ref)
            removed += 1
    return indexed, removed
