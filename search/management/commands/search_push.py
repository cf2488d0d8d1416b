"""Replay the search backlog to Elasticsearch (schedule it every few minutes in production)."""

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
        bar = ProgressBar(self.stdout, "Elasticsearch", pending_count())
        report = push_pending(progress=bar.advance)
        bar.finish(f"{report.indexed} indexed, {report.deleted} deleted, {report.failed} failed")
        if report.unavailable:
            raise CommandError(
                f"Elasticsearch is unreachable; {pending_count()} documents stay pending."
            )
