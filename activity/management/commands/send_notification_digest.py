from django.core.management.base import BaseCommand

from activity import digest


class Command(BaseCommand):
    help = (
        "Email the users who chose the daily digest their notifications since their previous "
        "digest (run it once a day). Running it again the same day sends nothing more."
    )

    def handle(self, *args, **options):
        outcome = digest.send_digests()
        self.stdout.write(
            f"{outcome.queued} digest email(s) queued; {outcome.empty} user(s) with nothing "
            f"new; {outcome.already} already sent today."
        )
