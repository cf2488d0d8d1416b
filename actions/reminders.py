"""Which actions need a reminder to fill in last year's indicators (docs/actions.md#reminders).

At the start of each year, the pilots of the actions that ran last year and are ongoing or
recently ended (ended last year or this year) are reminded when last year's indicators are still
empty; again 30 days after the first reminder if they still are. The records
(`IndicatorReminder`) make the scheduled command idempotent. Sending is the activity app's
(`activity/management/commands/send_indicator_reminders.py`): this module only chooses.
"""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from actions.indicators import FIELDS
from actions.models import Action, ActionIndicators, IndicatorReminder, year_q

SECOND_REMINDER_AFTER_DAYS = 30


def filled_q(year: int):
    """Actions whose indicators of `year` hold at least one count."""
    any_count = Q()
    for name in FIELDS:
        any_count |= Q(**{f"{name}__isnull": False})
    return Exists(ActionIndicators.objects.filter(any_count, action_id=OuterRef("pk"), year=year))


def due(now: datetime.datetime | None = None) -> list[tuple[Action, int, int]]:
    """(action, year, round) of every reminder to send now."""
    now = now or timezone.now()
    year = timezone.localdate(now).year - 1
    candidates = (
        Action.objects.filter(year_q(year))
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=datetime.date(year, 1, 1)))
        .exclude(filled_q(year))
        .prefetch_related("pilots", "reminders")
        .order_by("pk")
    )
    result = []
    for action in candidates:
        sent = {r.round: r for r in action.reminders.all() if r.year == year}
        if 1 not in sent:
            result.append((action, year, 1))
        elif 2 not in sent and sent[1].sent_at <= now - datetime.timedelta(
            days=SECOND_REMINDER_AFTER_DAYS
        ):
            result.append((action, year, 2))
    return result


def record(action, year: int, round_number: int) -> bool:
    """Record a reminder; False when it was already recorded (sent by a concurrent run)."""
    _reminder, created = IndicatorReminder.objects.get_or_create(
        action=action, year=year, round=round_number
    )
    return created
