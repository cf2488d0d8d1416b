"""Rebuild every search document from the content, then (with Elasticsearch) the whole index.

With Elasticsearch, a full rebuild fills a new physical index behind the scenes and swaps the
alias atomically: searches keep answering from the previous index until the swap (see
`search.replication.rebuild_index`). `--check` only compares the live index with the code.
"""

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
        parser.add_argument(
            "--elasticsearch-only",
            action="store_true",
            help="Keep the PostgreSQL documents; only rebuild the Elasticsearch index from them.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help=(
                "Change nothing: exit with status 1 when the live Elasticsearch index is "
                "missing, is an older deployment's plain index, or has another mapping "
                "version than the code."
            ),
        )

    def handle(
        self,
        *args,
        types=None,
        skip_elasticsearch=False,
        elasticsearch_only=False,
        check=False,
        **options,
    ):
        if check:
            return self.check_index()
        if elasticsearch_only and (types or skip_elasticsearch):
            raise CommandError("--elasticsearch-only rebuilds the whole index, alone.")
        if not elasticsearch_only:
            self.rebuild_documents(types)
        if not uses_elasticsearch() or skip_elasticsearch:
            return
        if types:
            self.push_types()
        else:
            self.rebuild_elasticsearch()

    def rebuild_documents(self, types):
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

    def push_types(self):
        """Some types only: their documents go through the alias, like any write."""
        from search.backends.elasticsearch import UNAVAILABLE, ensure_index
        from search.replication import push_pending

        try:
            ensure_index()
        except UNAVAILABLE as error:
            raise CommandError(
                f"Elasticsearch is unreachable ({error}); the documents stay pending: "
                "run `manage.py search_push` once it answers."
            ) from error
        bar = ProgressBar(self.stdout, "Elasticsearch", SearchDocument.objects.pending().count())
        report = push_pending(progress=bar.advance)
        bar.finish(f"{report.indexed} indexed, {report.deleted} deleted, {report.failed} failed")
        if report.unavailable:
            raise CommandError("Elasticsearch stopped answering; run `manage.py search_push`.")

    def rebuild_elasticsearch(self):
        from search.backends.elasticsearch import UNAVAILABLE
        from search.replication import RebuildRunning, rebuild_index

        bar = ProgressBar(self.stdout, "Elasticsearch", SearchDocument.objects.alive().count())
        try:
            report = rebuild_index(progress=bar.advance)
        except RebuildRunning as error:
            raise CommandError(f"{error} Try again once it has finished.") from error
        except UNAVAILABLE as error:
            raise CommandError(
                f"Elasticsearch is unreachable ({error}); the live index is unchanged and the "
                "documents stay pending: run this command again once it answers."
            ) from error
        bar.finish(
            ", ".join(f"{DocType(t).label}: {n}" for t, n in sorted(report.loaded.items()))
            + f" (total {report.total}, {report.caught_up} caught up, {report.failed} failed)"
        )
        replaced = (
            f"the older plain index {report.previous[0]}"
            if report.legacy
            else (", ".join(report.previous) or "no index")
        )
        self.stdout.write(
            self.style.SUCCESS(f"Elasticsearch: the alias now points to {report.index}")
            + f" (replaced {replaced}; deleted: {', '.join(report.deleted) or 'none'})."
        )
        push = report.push
        if push is not None and push.unavailable:
            raise CommandError("Elasticsearch stopped answering; run `manage.py search_push`.")
        if report.failed or (push is not None and push.failed):
            raise CommandError("Elasticsearch refused some documents: see the log.")

    def check_index(self):
        if not uses_elasticsearch():
            self.stdout.write("The search backend is PostgreSQL: no Elasticsearch index to check.")
            return
        from search.backends.elasticsearch import MAPPING_VERSION, UNAVAILABLE, index_state

        try:
            state = index_state()
        except UNAVAILABLE as error:
            raise CommandError(f"Elasticsearch is unreachable ({error}).") from error
        problems = state.problems()
        if problems:
            raise CommandError(
                "The Elasticsearch index needs `manage.py rebuild_search_index "
                "--elasticsearch-only`: " + "; ".join(problems) + "."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Elasticsearch: {state.alias} -> {state.indices[0]}, "
                f"mapping version {MAPPING_VERSION} (current)."
            )
        )
