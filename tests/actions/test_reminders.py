"""The yearly reminder: pilots of actions with empty indicators for last year, once, then again
after 30 days, never more; preferences respected by the one delivery path."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from notifications.models import Notification

from actions.models import ActionIndicators, IndicatorReminder
from activity.enums import NotificationKind
from tests.actions.factories import ActionFactory

pytestmark = pytest.mark.django_db


def run():
    call_command("send_indicator_reminders", stdout=io.StringIO())


def reminded(user) -> int:
    return Notification.objects.filter(
        recipient=user, data__kind=NotificationKind.ACTION_REMINDER
    ).count()


def test_reminders_are_sent_once_then_once_more_after_30_days():
    last_year = timezone.localdate().year - 1
    action = ActionFactory(started_at=datetime.date(last_year - 1, 3, 1))
    pilot = action.pilots.get()
    filled = ActionFactory(started_at=datetime.date(last_year, 1, 1))
    ActionIndicators.objects.create(action=filled, year=last_year, people=3)
    old = ActionFactory(
        started_at=datetime.date(last_year - 3, 1, 1),
        ended_at=datetime.date(last_year - 2, 1, 1),
    )
    future = ActionFactory(started_at=datetime.date(last_year + 2, 1, 1))

    run()
    assert reminded(pilot) == 1
    for other in (filled, old, future):
        assert reminded(other.pilots.get()) == 0
    run()
    assert reminded(pilot) == 1  # idempotent
    IndicatorReminder.objects.filter(action=action).update(
        sent_at=timezone.now() - datetime.timedelta(days=31)
    )
    run()
    assert reminded(pilot) == 2
    run()
    assert reminded(pilot) == 2
    assert IndicatorReminder.objects.filter(action=action, year=last_year).count() == 2


def test_no_second_reminder_once_the_indicators_are_filled():
    last_year = timezone.localdate().year - 1
    action = ActionFactory(started_at=datetime.date(last_year, 5, 1))
    run()
    ActionIndicators.objects.create(action=action, year=last_year, people=12)
    IndicatorReminder.objects.update(sent_at=timezone.now() - datetime.timedelta(days=31))
    run()
    assert reminded(action.pilots.get()) == 1
