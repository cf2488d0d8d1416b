"""Replay the search backlog to Elasticsearch (schedule it every few minutes in production).

On an older deployment whose index is a plain index named like the alias, the first run
migrates it: a rebuild behind the alias (`search.replication.rebuild_index`), without downtime.
"""

from django.core.management.base import BaseCommand, CommandError

from search.indexing import uses_elasticsearch
from search.management.commands._progress import ProgressBar
from search.replication import pending_count, push_pending


class Command(BaseCommand):
    help = "Send the pending search documents to Elasticsearch."

    def handle(self, *args, **options):
        if not uses_elasticsearch():
            self.stdout.write("The search backend is PostgreSQL: nothing to push.")
            return
        self.migrate_legacy_index()
        bar = ProgressBar(self.stdout, "Elasticsearch", pending_count())
        report = push_pending(progress=bar.advance)
        bar.finish(f"{report.indexed} indexed, {report.deleted} deleted, {report.failed} failed")
        if report.unavailable:
            raise CommandError(
                f"Elasticsearch is unreachable; {pending_count()} documents stay pending."
            )

    def migrate_legacy_index(self):
        from search.backends.elasticsearch import UNAVAILABLE, index_state
        from search.replication import RebuildRunning, rebuild_index

        try:
            state = index_state()
        except UNAVAILABLE:
            return  # the push below reports it
        if not state.legacy:
            for problem in state.problems() if state.exists else []:
                self.stderr.write(
                    f"Warning: {problem}; run `manage.py rebuild_search_index "
                    "--elasticsearch-only`."
                )
            return
        self.stdout.write(f"{state.alias} is a plain index: moving it behind an alias.")
        try:
            report = rebuild_index()
        except RebuildRunning:
            self.stdout.write("A rebuild is already running; pushing through the old index.")
            return
        except UNAVAILABLE as error:
            raise CommandError(f"Elasticsearch is unreachable ({error}).") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{state.alias} now points to {report.index} ({report.total} documents)."
            )
        )
