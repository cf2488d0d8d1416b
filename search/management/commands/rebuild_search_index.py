"""Rebuild every search document from the content, then (with Elasticsearch) the whole index."""

from django.core.management.base import BaseCommand, CommandError

from search.enums import DocType
from search.indexing import uses_elasticsearch
from search.management.commands._progress import ProgressBar
from search.models import SearchDocument
from search.rebuild import rebuild_type
from search.sources import SOURCES


class Command(BaseCommand):
    help = "Rebuild the platform search documents (and the Elasticsearch index when enabled)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--type",
            dest="types",
            action="append",
            choices=list(DocType.values),
            help="Only these document types (repeatable). Default: all.",
        )
        parser.add_argument(
            "--skip-elasticsearch",
            action="store_true",
            help="Only rebuild the documents in PostgreSQL; the push comes later.",
        )

    def handle(self, *args, types=None, skip_elasticsearch=False, **options):
        totals = {}
        for doc_type in types or list(SOURCES):
            source = SOURCES[doc_type]
            bar = ProgressBar(self.stdout, str(DocType(doc_type).label), source.count())
            indexed, removed = rebuild_type(doc_type, progress=bar.advance)
            bar.finish(f"{indexed} indexed, {removed} removed")
            totals[doc_type] = indexed
        self.stdout.write(
            self.style.SUCCESS(
                "Documents: "
                + ", ".join(f"{DocType(t).label}: {n}" for t, n in totals.items())
                + f" (total {sum(totals.values())})"
            )
        )
        if not uses_elasticsearch() or skip_elasticsearch:
            return
        from search.backends.elasticsearch import UNAVAILABLE, ensure_index
        from search.replication import push_pending

        try:
            ensure_index(recreate=not types)
        except UNAVAILABLE as error:
            raise CommandError(
                f"Elasticsearch is unreachable ({error}); the documents stay pending: "
                "run `manage.py search_push` once it answers."
            ) from error
        if not types:
            # A fresh index: every live document must be sent again, tombstones are moot.
            SearchDocument.objects.filter(deleted=True).delete()
            SearchDocument.objects.update(es_pending=True)
        bar = ProgressBar(self.stdout, "Elasticsearch", SearchDocument.objects.pending().count())
        report = push_pending(progress=bar.advance)
        bar.finish(f"{report.indexed} indexed, {report.deleted} deleted, {report.failed} failed")
        if report.unavailable:
            raise CommandError("Elasticsearch stopped answering; run `manage.py search_push`.")
