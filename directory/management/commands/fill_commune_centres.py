"""Fill the communes' centres from the geocoder (`GEOCODER_URL`, core/geocoder.py).

The official territory data carries no coordinates; the site form's map starts on the chosen
commune's centre. Only communes without a centre are asked (the command is idempotent and may be
stopped and run again), most populated first, optionally within some departments:

    manage.py fill_commune_centres --department 69 --department 13 --limit 500

A commune the service does not know is left empty and reported; when the service stops
answering, the command stops with what it filled so far.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import F

from core import geocoder
from directory.models import Commune


class Command(BaseCommand):
    help = "Fill the communes' centres (where the site form's map starts) from the geocoder."

    def add_arguments(self, parser):
        parser.add_argument("--department", action="append", default=[], dest="departments")
        parser.add_argument("--limit", type=int, default=0, help="At most this many communes.")
        parser.add_argument(
            "--pause", type=float, default=0.05, help="Seconds between two requests."
        )

    def handle(self, *args, departments, limit, pause, **options):
        if not geocoder.is_enabled():
            raise CommandError("GEOCODER_URL is empty: set it to the address API to use.")
        communes = Commune.objects.filter(latitude__isnull=True).order_by(
            F("population").desc(nulls_last=True), "code"
        )
        if departments:
            communes = communes.filter(department_id__in=departments)
        if limit:
            communes = communes[:limit]
        filled = unknown = 0
        for commune in communes.only("code", "name"):
            try:
                centre = geocoder.commune_centre(commune.code, commune.name)
            except geocoder.GeocoderUnavailable as exc:
                self.stderr.write(f"The geocoder stopped answering ({exc}); run again later.")
                break
            if centre is None:
                unknown += 1
            else:
                Commune.objects.filter(pk=commune.pk).update(
                    latitude=round(centre[0], 6), longitude=round(centre[1], 6)
                )
                filled += 1
            if pause:
                time.sleep(pause)
        self.stdout.write(f"{filled} commune centre(s) filled, {unknown} unknown to the geocoder.")
