"""What the moderation pages read besides the entries themselves (`EntryQuerySet.moderated_by`,
`reported`, `recently_hidden`): the open reports of the listed entries and the moderators'
decisions from Wagtail's audit log. Each function is one query, whatever the number of entries.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField
from django.db.models.functions import Cast
from wagtail.models import ModelLogEntry

from journal import services
from journal.models import Entry, Report

#: The audit actions the queue lists as the moderators' decisions.
DECISIONS = [
    services.ACTION_HIDE,
    services.ACTION_RESTORE,
    services.ACTION_DISMISS,
    services.ACTION_DELETE,
]


def _entry_log():
    return ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Entry))


def entry_log(entry):
    """The journal actions logged on `entry` (the entry page shows it to moderators), newest
    first."""
    return (
        _entry_log()
        .filter(object_id=str(entry.pk), action__startswith="journal.")
        .select_related("user")
        .order_by("-timestamp")
    )


def decisions(entries):
    """The moderators' decisions logged on `entries` (a QuerySet of entries), newest first."""
    return (
        _entry_log()
        .filter(
            action__in=DECISIONS,
            object_id__in=entries.annotate(key=Cast("pk", CharField())).values("key"),
        )
        .select_related("user")
        .order_by("-timestamp")
    )


def reported_rows(entries) -> list[dict]:
    """One row per listed entry with its open reports (`reports`), in one query."""
    open_reports = {}
    for report in (
        Report.objects.open()
        .filter(entry__in=[entry.pk for entry in entries])
        .select_related("reporter")
    ):
        open_reports.setdefault(report.entry_id, []).append(report)
    return [{"entry": entry, "reports": open_reports.get(entry.pk, [])} for entry in entries]
