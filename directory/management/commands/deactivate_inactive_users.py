from django.core.management.base import BaseCommand

from directory.services.inactivity import process_inactive_accounts


class Command(BaseCommand):
    help = (
        "Warn accounts idle for six months, and deactivate those still idle a month after the "
        "warning. Safe to run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count without acting.")

    def handle(self, *args, **options):
        report = process_inactive_accounts(dry_run=options["dry_run"])
        prefix = "[dry run] " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}{report.warned} account(s) warned, {report.deactivated} deactivated."
        )
