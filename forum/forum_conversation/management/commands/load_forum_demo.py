"""Create the forums of "Entraide", one per theme, and demo questions when the demo accounts
exist. Idempotent: existing forums and questions (same name / title) are kept as they are, so
administrators may edit descriptions without the command undoing it."""

from django.core.management.base import BaseCommand

from forum.demo import load_demo


class Command(BaseCommand):
    help = (
        "Create the forums of the Entraide board, one per theme, and demo questions (idempotent)."
    )

    def handle(self, *args, **options):
        load_demo(stdout=self.stdout)
