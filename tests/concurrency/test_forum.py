"""Concurrent writes in the forum (« Entraide »): a question solved once and its helper told
once, a theme followed once (issue 15, part 2)."""

import pytest
from django.contrib.messages import get_messages
from notifications.models import Notification

from activity.enums import NotificationKind
from forum import notifications
from tests.concurrency.harness import Rendezvous, logged_in, post, race
from tests.forum.utils import (
    ThemeSubscription,
    Topic,
    answer,
    department,
    follow_url,
    local_admin,
    make_topic,
    person,
    solve_url,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPETITIONS = 3


def test_an_answer_accepted_by_two_people_at_once_is_told_once(forum, monkeypatch):
    """The author and a moderator accept the same answer at once: solved once, the helper
    notified once, the slower one told it was already done."""
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, notifications, "notify_solved")
    place = department("93")
    author, helper = person(place), person(place)
    clients = [logged_in(author), logged_in(local_admin(place))]
    for repetition in range(REPETITIONS):
        topic = make_topic(forum, author, subject=f"Question {repetition}")
        accepted = answer(topic, helper)
        topic.refresh_from_db()

        url, data = solve_url(topic), {"post": accepted.pk}

        outcomes = race(
            *(post(client, url, data) for client in clients),
            rendezvous=rendezvous,
        )

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        assert Topic.objects.get(pk=topic.pk).solved_post_id == accepted.pk
        told = Notification.objects.filter(
            recipient=helper,
            data__kind=NotificationKind.FORUM_SOLVED,
            target_object_id=str(topic.pk),
        )
        assert told.count() == 1, repetition
        said = [
            str(message)
            for outcome in outcomes
            for message in get_messages(outcome.response.wsgi_request)
        ]
        assert "La question a déjà été marquée résolue par cette réponse." in said


def test_a_theme_followed_twice_at_once_is_followed_once(forum):
    """A double click on « Être informé des nouvelles questions »: one subscription (unique
    constraint `unique_theme_subscription`), no 500."""
    reader = person(department("93"))
    clients = [logged_in(reader), logged_in(reader)]
    for _repetition in range(REPETITIONS):
        ThemeSubscription.objects.filter(user=reader).delete()

        outcomes = race(
            *((lambda client=client: client.post(follow_url(forum))) for client in clients)
        )

        assert [outcome.status for outcome in outcomes] == [302, 302]
        assert ThemeSubscription.objects.filter(user=reader, forum=forum).count() == 1
