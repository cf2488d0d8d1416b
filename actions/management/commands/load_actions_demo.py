"""Load the demo actions (called by `load_demo`, after the demo sites and accounts)."""

from django.core.management.base import BaseCommand

from actions.demo import load_demo_actions


class Command(BaseCommand):
    help = "Create the demo resorption actions (idempotent)."

    def handle(self, *args, **options):
        count = load_demo_actions(stdout=self.stdout)
        self.stdout.write(f"Actions de démonstration créées : {count}")
