"""Generate synthetic national data: `manage.py generate_dataset --scale 1 --seed 1`.

Scale 1 is about the country: ~450 open and ~2,500 closed sites over ~40 departments with their
history, ~1,000 accounts in ~300 organisations, ~20,000 journal messages, ~3,000 forum posts,
notifications and search documents. The steps live in each app's `dataset.py`
(`core.dataset`). Deterministic for a seed on a given day; one transaction (all or nothing).
"""

import time

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.module_loading import autodiscover_modules

from core import dataset


def foreign_accounts():
    """Accounts that neither the demo nor the generator created: real people's."""
    return get_user_model().objects.exclude(email__endswith=dataset.DEMO_EMAIL_SUFFIX)


class Command(BaseCommand):
    help = "Generate synthetic national data (fictitious) for demonstrations and load tests."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 ≈ the national reality (default 1)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Generate even in a database holding accounts that are not demo accounts.",
        )

    def handle(self, *args, scale, seed, force, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        user_model = get_user_model()
        if user_model.objects.filter(email__endswith=f"@{dataset.EMAIL_DOMAIN}").exists():
            raise CommandError(
                "This database already holds generated data: start again from a fresh database."
            )
        if not force and foreign_accounts().exists():
            raise CommandError(
                "This database holds accounts that are not demo accounts (real data?): "
                "nothing generated. Use --force to generate anyway."
            )
        if not apps.get_model("wagtailcore", "Site").objects.exists():
            raise CommandError("No Wagtail site: run the migrations first.")
        autodiscover_modules("dataset")
        generation = dataset.Generation(scale=scale, seed=seed, stdout=self.stdout)
        started = time.monotonic()
        with transaction.atomic():
            for _order, label, function in dataset.steps():
                step_started = time.monotonic()
                function(generation)
                self.stdout.write(f"  {label} : {time.monotonic() - step_started:.1f} s")
        # Bulk inserts leave the planner's statistics describing empty tables until autovacuum
        # gets round to them: it then joins thousands of rows in nested loops (the activity feed
        # took 170 ms in one query instead of 2). Refresh them now.
        step_started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"  ANALYZE : {time.monotonic() - step_started:.1f} s")
        summary = ", ".join(f"{name} {count}" for name, count in generation.counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Données synthétiques générées (échelle {scale:g}, graine {seed}) en "
                f"{time.monotonic() - started:.0f} s : {summary}."
            )
        )
