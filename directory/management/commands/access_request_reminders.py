from django.core.management.base import BaseCommand

from directory.services.access_requests import send_reminders


class Command(BaseCommand):
    help = (
        "Remind the deciders of access requests pending for 3 and 10 days, remind applicants "
        "who have not activated their account 5 days after the approval, and expire activation "
        "links unused after 8 days (notifying the applicant and the deciders). Each email is "
        "sent once: safe to run daily (cron)."
    )

    def handle(self, *args, **options):
        counts = send_reminders()
        self.stdout.write(
            f"{counts['decider_reminders']} reminder(s) to deciders, "
            f"{counts['applicant_reminders']} reminder(s) to applicants, "
            f"{counts['expired']} request(s) expired."
        )
