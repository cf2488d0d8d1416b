"""Background tasks of the search app (django-tasks)."""

from django_tasks import task


@task()
def push_pending_documents() -> dict:
    """Replay every pending search document to Elasticsearch (a no-op with PostgreSQL)."""
    from search.indexing import uses_elasticsearch

    if not uses_elasticsearch():
        return {"skipped": True}
    from search.replication import push_pending

    report = push_pending()
    return {
        "indexed": report.indexed,
        "deleted": report.deleted,
        "failed": report.failed,
        "unavailable": report.unavailable,
    }
