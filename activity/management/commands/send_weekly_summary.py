from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from activity import emails, summary
from activity.enums import NotificationKind
from activity.services import queue_email


class Command(BaseCommand):
    help = (
        "Email the weekly summary of the last 7 days to the users who kept it (run it every "
        "Monday morning). Running it twice for the same week sends nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the figures, send nothing."
        )
        parser.add_argument("--department", help="Only this department's summary (code).")
        parser.add_argument(
            "--until",
            help="Last day + 1 of the week (YYYY-MM-DD); default: today.",
        )

    def handle(self, *args, dry_run=False, department=None, until=None, **options):
        try:
            day = date.fromisoformat(until) if until else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--until must be a date (YYYY-MM-DD).") from exc
        start, end = summary.week_ending(day)
        year, week, _weekday = start.date().isocalendar()
        groups = summary.recipients_by_scope(department=department)
        total = 0
        for key, (scope, users) in sorted(groups.items()):
            figures = summary.figures(scope, start=start, end=end)
            self.stdout.write(
                f"{scope.name} ({key}): {len(users)} recipient(s); "
                f"{figures.new_sites} new, {figures.closed_sites} closed, "
                f"{figures.updated_sites} updated, {figures.open_sites} open sites, "
                f"{figures.people} people, up to date {figures.up_to_date_share}%, "
                f"{figures.new_users} new users, journal {figures.new_entries}"
            )
            if dry_run:
                continue
            context = {
                "scope": scope,
                "figures": figures,
                "start": start,
                "last_day": end.date().fromordinal(end.date().toordinal() - 1),
                "feed_url": emails.absolute_url(reverse("activity:feed")),
                "platform_name": settings.PLATFORM_NAME,
            }
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("Weekly summary — %(territory)s") % {"territory": scope.name}
            text, html = emails.render_content(
                template="activity/emails/weekly_summary.txt", context=context
            )
            total += queue_email(
                kind=NotificationKind.WEEKLY_SUMMARY,
                users=users,
                subject=subject,
                text_body=text,
                html_body=html,
                url=reverse("activity:feed"),
                key=f"weekly:{key}:{year}-W{week:02d}",
            )
        if dry_run:
            self.stdout.write("Dry run: nothing sent.")
        else:
            self.stdout.write(f"{total} summary email(s) queued.")
