"""How a notification reads: the line of a group of repeated events (page, API, digest)."""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activity.enums import NotificationKind


def _events(kind: str, count: int) -> str:
    if kind == NotificationKind.FORUM_ANSWER:
        return ngettext("%(count)s answer", "%(count)s answers", count) % {"count": count}
    return ngettext("%(count)s update", "%(count)s updates", count) % {"count": count}


def group_summary(notification) -> str:
    """« 5 mises à jour par 2 personnes depuis le 4 décembre à 10:00 » for a group of more
    than one event; "" for a single event."""
    data = notification.data or {}
    try:
        count = int(data.get("count") or 1)
    except (TypeError, ValueError):
        return ""
    if count <= 1:
        return ""
    events = _events(data.get("kind", ""), count)
    people = len(data.get("actor_ids") or [])
    try:
        first = datetime.fromisoformat(data["first_at"])
    except (KeyError, TypeError, ValueError):
        first = None
    parts = {"events": events}
    if first is not None:
        first = timezone.localtime(first)
        parts["date"] = _("%(day)s at %(time)s") % {
            "day": date_format(first, "j F"),
            "time": date_format(first, "H:i"),
        }
    if people:
        parts["people"] = ngettext("by %(people)s person", "by %(people)s people", people) % {
            "people": people
        }
    if people and first is not None:
        return _("%(events)s %(people)s since %(date)s") % parts
    if first is not None:
        return _("%(events)s since %(date)s") % parts
    if people:
        return _("%(events)s %(people)s") % parts
    return events
