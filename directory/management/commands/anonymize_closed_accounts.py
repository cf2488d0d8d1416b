from django.core.management.base import BaseCommand

from directory.services.erasure import anonymize_closed_accounts


class Command(BaseCommand):
    help = "Anonymise the accounts closed by their owner more than 30 days ago. Safe to run daily."

    def handle(self, *args, **options):
        count = anonymize_closed_accounts()
        self.stdout.write(f"{count} account(s) anonymised.")
