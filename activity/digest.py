"""The daily digest: one email a day to the users who chose it (`EmailSchedule`), listing their
notifications since their previous digest, of the kinds whose emails they kept.

Idempotent: each digest is an `OutgoingEmail` keyed by user and day (``digest:<user>:<date>``);
a second run the same day sends nothing and leaves the next digest's start untouched. A group
of repeated events (see `activity.services.create_notifications`) is one line, with its count.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext
from notifications.models import Notification

from activity import emails
from activity.display import group_summary
from activity.enums import HIDDEN_KINDS, EmailFrequency, NotificationKind
from activity.models import EmailPreference, EmailSchedule, OutgoingEmail
from activity.services import queue_email

#: At most this many lines in one digest (the newest); the email links to the full list.
MAX_LINES = 50


@dataclass
class Outcome:
    queued: int = 0  # digests queued
    empty: int = 0  # nothing new for the user
    already: int = 0  # today's digest exists already


def digest_key(user, day) -> str:
    return f"digest:{user.pk}:{day.isoformat()}"


def send_digests(*, now=None) -> Outcome:
    now = now or timezone.now()
    day = timezone.localdate(now)
    schedules = list(
        EmailSchedule.objects.filter(
            frequency=EmailFrequency.DAILY, user__is_active=True
        ).select_related("user")
    )
    schedules = [schedule for schedule in schedules if schedule.user.email]
    outcome = Outcome()
    if not schedules:
        return outcome
    user_ids = [schedule.user_id for schedule in schedules]
    opted_out: dict[int, set[str]] = {}
    for user_id, kind in EmailPreference.objects.filter(
        user_id__in=user_ids, enabled=False
    ).values_list("user_id", "kind"):
        opted_out.setdefault(user_id, set()).add(kind)
    done = set(
        OutgoingEmail.objects.filter(
            key__in=[digest_key(schedule.user, day) for schedule in schedules]
        ).values_list("key", flat=True)
    )
    kinds = [kind.value for kind in NotificationKind if kind not in HIDDEN_KINDS]
    for schedule in schedules:
        user = schedule.user
        if digest_key(user, day) in done:
            outcome.already += 1
            continue
        since = schedule.digest_until or (now - timedelta(days=1))
        wanted = [kind for kind in kinds if kind not in opted_out.get(user.pk, set())]
        lines = list(
            Notification.objects.filter(
                recipient=user,
                deleted=False,
                timestamp__gt=since,
                timestamp__lte=now,
                data__kind__in=wanted,
            )
            .order_by("-timestamp", "-pk")
            .only("pk", "verb", "timestamp", "unread", "data")[: MAX_LINES + 1]
        )
        with transaction.atomic():
            if lines:
                outcome.queued += bool(_queue(user, lines, since=since, day=day))
            else:
                outcome.empty += 1
            EmailSchedule.objects.filter(pk=schedule.pk).update(digest_until=now)
    return outcome


def _queue(user, lines, *, since, day) -> int:
    more = len(lines) > MAX_LINES
    lines = lines[:MAX_LINES]
    items = [
        {
            "verb": line.verb,
            "summary": group_summary(line),
            "actor_name": (line.data or {}).get("actor_name", ""),
            "timestamp": timezone.localtime(line.timestamp),
            "url": emails.absolute_url((line.data or {}).get("url") or ""),
        }
        for line in lines
    ]
    list_url = emails.absolute_url(reverse("activity:list"))
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "Your digest of the day: %(count)s notification",
            "Your digest of the day: %(count)s notifications",
            len(items),
        ) % {"count": f"{len(items)}+" if more else len(items)}
    text, html = emails.render_content(
        template="activity/emails/digest.txt",
        context={
            "items": items,
            "more": more,
            "since": timezone.localtime(since),
            "list_url": list_url,
        },
    )
    return queue_email(
        kind=NotificationKind.DAILY_DIGEST,
        users=[user],
        subject=subject,
        text_body=text,
        html_body=html,
        url=reverse("activity:list"),
        key=digest_key(user, day),
    )
