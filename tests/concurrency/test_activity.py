"""Concurrent writes of one person's notification state: preferences saved from two tabs at
once, read marks (issue 15, part 2). Both are safe without a lock: one row per (user, kind)
(`email_preference_unique`), written in the same order by every save, and read marks that
only ever set `unread` to false."""

import pytest
from django.urls import reverse
from notifications.models import Notification

from activity import preferences
from activity.enums import NotificationKind
from activity.models import EmailPreference
from activity.services import create_notifications
from directory.enums import Role
from tests.concurrency.harness import logged_in, post, race
from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPETITIONS = 3


def test_preferences_saved_from_two_tabs_at_once_are_one_whole_choice():
    user = UserFactory(role=Role.INTERVENANT)
    tabs = [logged_in(user), logged_in(user)]
    url = reverse("activity:preferences")
    choices = [
        [NotificationKind.SITE_CREATED, NotificationKind.WEEKLY_SUMMARY],
        [NotificationKind.SITE_UPDATED],
    ]
    for _repetition in range(REPETITIONS):
        EmailPreference.objects.filter(user=user).delete()

        outcomes = race(
            *(post(tab, url, {"kinds": kinds}) for tab, kinds in zip(tabs, choices, strict=True))
        )

        assert [outcome.status for outcome in outcomes] == [302, 302]
        kinds = preferences.kinds_for(user)
        assert EmailPreference.objects.filter(user=user).count() == len(kinds)
        enabled = {kind for kind, on in preferences.preferences_of(user).items() if on}
        assert enabled in [{str(kind) for kind in choice} for choice in choices]


def test_marking_everything_read_from_two_tabs_at_once():
    user = UserFactory(role=Role.INTERVENANT)
    actor = UserFactory()
    tabs = [logged_in(user), logged_in(user)]
    for _repetition in range(REPETITIONS):
        create_notifications(
            kind=NotificationKind.SITE_CREATED, users=[user] * 3, actor=actor, verb="a déclaré"
        )
        one = Notification.objects.filter(recipient=user, unread=True).first()

        outcomes = race(
            post(tabs[0], reverse("activity:mark_all_read")),
            post(tabs[1], reverse("activity:mark_read", args=[one.pk])),
        )

        assert [outcome.status for outcome in outcomes] == [302, 302]
        assert not Notification.objects.filter(recipient=user, unread=True).exists()
