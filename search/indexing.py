"""Writing search documents, in the same transaction as the change they mirror.

`index(source, obj)` rebuilds one object's document (or removes it when the object is no longer
searchable); `remove(ref)` turns the document into a tombstone. Both mark the row pending for
Elasticsearch and, when that backend is on, schedule one push per transaction after commit.
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from search.models import SearchDocument
from search.sources import SOURCES, Source, normalize

logger = logging.getLogger(__name__)

FIELDS = (
    "title",
    "text",
    "commune_code",
    "commune_name",
    "department_code",
    "region_code",
    "date",
    "status",
    "tags",
    "access_keys",
    "url",
)


def search_settings() -> dict:
    return {
        "BACKEND": "postgres",
        "ELASTICSEARCH_URL": "http://127.0.0.1:9200",
        "INDEX_PREFIX": "resorption",
        "TIMEOUT": 5,
        **getattr(settings, "PLATFORM_SEARCH", {}),
    }


def uses_elasticsearch() -> bool:
    return search_settings()["BACKEND"] == "elasticsearch"


def document_values(doc_type: str, object_id, data: dict) -> dict:
    date = data.get("date")
    if isinstance(date, datetime.datetime):
        date = date.date()
    values = {name: data.get(name) for name in FIELDS}
    values.update(
        doc_type=doc_type,
        object_id=str(object_id),
        title=(data["title"] or "")[:500],
        text=data.get("text") or "",
        date=date,
        year=date.year if date else None,
        status=data.get("status") or "",
        tags=sorted(set(data.get("tags") or [])),
        access_keys=sorted(set(data["access_keys"])),
        url=(data.get("url") or "")[:500],
        names=normalize(f"{data['title']} {data.get('commune_name') or ''}")[:800],
    )
    for name in ("commune_code", "commune_name", "department_code", "region_code"):
        values[name] = values[name] or ""
    return values


def upsert(ref: str, values: dict) -> None:
    changes = {**values, "deleted": False, "es_pending": True, "revision": F("revision") + 1}
    if SearchDocument.objects.filter(ref=ref).update(**changes):
        return
    try:
        with transaction.atomic():
            SearchDocument.objects.create(ref=ref, **values)
    except IntegrityError:  # created meanwhile by a concurrent transaction
        SearchDocument.objects.filter(ref=ref).update(**changes)


def remove(ref: str) -> None:
    """Keep a tombstone without keys until Elasticsearch has forgotten the document."""
    updated = SearchDocument.objects.filter(ref=ref, deleted=False).update(
        deleted=True, access_keys=[], es_pending=True, revision=F("revision") + 1
    )
    if updated:
        schedule_push()


def index(source: Source, obj) -> None:
    ref = source.ref(obj)
    data = source.build(obj)
    if data is None:
        remove(ref)
        return
    upsert(ref, document_values(source.doc_type, obj.pk, data))
    schedule_push()


def index_by_type(doc_type: str, obj) -> None:
    index(SOURCES[doc_type], obj)


def remove_by_type(doc_type: str, pk) -> None:
    remove(f"{doc_type}:{pk}")


def _enqueue_push():
    from search.tasks import push_pending_documents

    try:
        push_pending_documents.enqueue()
    except Exception:  # the backlog stays pending; `search_push` or the next write replays it
        logger.exception("Could not enqueue the search push task")


_enqueue_push.search_push = True


def schedule_push() -> None:
    """Ask for one push to Elasticsearch once the current transaction has committed."""
    if not uses_elasticsearch():
        return
    if any(getattr(item[1], "search_push", False) for item in connection.run_on_commit):
        return  # already scheduled in this transaction (rolled back entries are dropped)
    transaction.on_commit(_enqueue_push, robust=True)
