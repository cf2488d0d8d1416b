"""Everything `make demo` does: migrate, load demo data, start the worker, serve the platform."""

import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Migrate, load the demo data, start a task worker and serve the platform."

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the background task worker."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo runs with development settings only (DEBUG on).")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Base de données à jour.")
        call_command("load_demo")
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
