"""Remind the pilots to fill in last year's indicators of their actions (docs/actions.md).

Schedule it daily (or at least weekly) in January and February: it sends the first reminder once
per action and year, the second 30 days later if the indicators are still empty, and nothing
more; running it twice sends nothing twice. Emails go through the one delivery path
(`activity.services.notify`): preferences and unsubscribe links as for every email.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from actions import reminders
from activity.enums import NotificationKind
from activity.services import notify


class Command(BaseCommand):
    help = "Email the pilots of actions whose last year's indicators are empty (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, send nothing.")

    def handle(self, *args, dry_run=False, **options):
        sent = 0
        for action, year, round_number in reminders.due():
            if dry_run:
                self.stdout.write(f"{action.pk} {action.name} — {year} ({round_number})")
                continue
            with transaction.atomic():
                if not reminders.record(action, year, round_number):
                    continue
                verb = _("Fill in the %(year)s indicators of the action %(name)s") % {
                    "year": year,
                    "name": action.name,
                }
                sent += notify(
                    kind=NotificationKind.ACTION_REMINDER,
                    recipients=list(action.pilots.all()),
                    actor=action,
                    verb=verb,
                    target=action,
                    url=reverse("actions:indicators", args=[action.pk, year]),
                    email_template="activity/emails/indicator_reminder.txt",
                    email_context={"year": year, "action": action, "round": round_number},
                )
        self.stdout.write(f"Rappels envoyés : {sent}")
