from django.core.management.base import BaseCommand

from directory.models import SignInEvent


class Command(BaseCommand):
    help = "Delete the sign-in events older than six months. Safe to run daily."

    def handle(self, *args, **options):
        deleted, _details = SignInEvent.objects.expired().delete()
        self.stdout.write(f"{deleted} sign-in event(s) deleted.")
