"""Print the current second-factor code of the demo administrators (DEBUG only): the demo works
without an authentication app."""

import base64

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from directory.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current TOTP code of the demo administrators (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo codes are for development only (DEBUG on).")
        key = base64.b32decode(DEMO_TOTP_SECRET).hex()
        emails = TOTPDevice.objects.filter(key=key, confirmed=True).values_list(
            "user__email", flat=True
        )
        if not emails:
            raise CommandError("No demo administrator: run `python manage.py load_demo` first.")
        code = totp(bytes.fromhex(key))
        self.stdout.write(f"Code valable 30 secondes : {code:06d}  ({', '.join(sorted(emails))})")
