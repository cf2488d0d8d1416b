"""Load the demo data. Idempotent: running it twice changes nothing the second time.

Each app loads its own demo data; settings.DEMO_LOADERS lists their loaders in the order the data
depends on (accounts, then pages and sites, then what is written on them, then the search
index). A loader takes `stdout` and writes its own progress."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Create the demo accounts and content (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Allow loading demo data with DEBUG off."
        )

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Demo data is for development: use --force to load it anyway.")
        for path in settings.DEMO_LOADERS:
            import_string(path)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
