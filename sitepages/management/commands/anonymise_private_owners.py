from django.core.management.base import BaseCommand

from sitepages.services import ANONYMISATION_DELAY_DAYS, anonymise_private_owners


class Command(BaseCommand):
    help = (
        f"Remove the names of private owners of sites closed for over {ANONYMISATION_DELAY_DAYS} "
        "days (live data and history). Idempotent; run weekly."
    )

    def handle(self, *args, **options):
        changed = anonymise_private_owners()
        self.stdout.write(f"{len(changed)} site(s) anonymised.")
