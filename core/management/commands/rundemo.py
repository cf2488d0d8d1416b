"""Everything `make demo` does: migrate, load demo data (the curated accounts and content, then
synthetic data around them so that journals, the forum, the feed and the dashboards are lively),
start the worker, serve the platform."""

import signal
import subprocess
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.dataset import EMAIL_DOMAIN

#: The synthetic data added around the curated demo: ~150 sites in nine departments, ~1,000
#: journal messages, ~150 forum posts (a minute at most, once).
DEMO_SCALE = 0.05


class Command(BaseCommand):
    help = "Migrate, load the demo data, start a task worker and serve the platform."

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the background task worker."
        )
        parser.add_argument(
            "--curated-only",
            action="store_true",
            help="Load the curated demo data only, without the synthetic data around it.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo runs with development settings only (DEBUG on).")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Base de données à jour.")
        call_command("load_demo")
        if not options["curated_only"]:
            self.add_synthetic_data()
        worker = None
        if not options["no_worker"]:
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"],
                cwd=settings.BASE_DIR,
            )
            self.stdout.write(f"Travailleur de tâches démarré (pid {worker.pid}).")
        host, _, port = options["addrport"].rpartition(":")
        self.stdout.write(f"\nPlateforme disponible sur http://{host or '127.0.0.1'}:{port}/\n")
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGINT)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()

    def add_synthetic_data(self):
        """Once: `generate_dataset` at a small scale (skipped when already there, or when the
        database holds other accounts than the demo's)."""
        if get_user_model().objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists():
            return
        self.stdout.write("Ajout de données synthétiques autour de la démonstration…")
        try:
            call_command("generate_dataset", scale=DEMO_SCALE, seed=1)
        except CommandError as error:
            self.stdout.write(f"Données synthétiques non ajoutées : {error}")
