"""Two moderators taking one decision on one question or message at the same moment (issue 15,
part 2): the decision is taken, and its author (or the question's followers) told, once; the
slower moderator is told what the other one did, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse
from machina.apps.forum_conversation.abstract_models import AbstractPost
from notifications.models import Notification

from activity.enums import NotificationKind
from forum import notifications
from tests.concurrency.harness import Rendezvous, post, race, told
from tests.forum.utils import (
    Forum,
    Post,
    Topic,
    answer,
    department,
    fr,
    local_admin,
    make_topic,
    moderation_url,
    person,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPETITIONS = 3


@pytest.fixture
def place():
    return department("93")


@pytest.fixture
def moderators(place):
    clients = []
    for _ in range(2):
        client = Client()
        client.force_login(local_admin(place))
        clients.append(client)
    return clients


def notified(user, kind):
    return Notification.objects.filter(recipient=user, data__kind=kind).count()


def test_two_moderators_locking_one_question_at_once(forum, place, moderators, monkeypatch):
    """Locked once, its author told once (not twice, with two reasons)."""
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, notifications, "notify_moderation")
    for repetition in range(REPETITIONS):
        author = person(place)
        topic = make_topic(forum, author, subject=f"Question {repetition}")
        url = moderation_url("topic_lock", topic)

        outcomes = race(
            *(post(client, url, {"reason": f"Motif {n}"}) for n, client in enumerate(moderators)),
            rendezvous=rendezvous,
        )

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        assert Topic.objects.get(pk=topic.pk).status == Topic.TOPIC_LOCKED
        assert notified(author, NotificationKind.MODERATION) == 1, repetition
        assert fr("This question was already locked by another moderator.") in told(outcomes)


def test_two_moderators_deleting_one_question_at_once(forum, place, moderators, monkeypatch):
    """Deleted once, its author told once, the slower moderator sent back to the theme."""
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, Topic, "delete")
    for repetition in range(REPETITIONS):
        author = person(place)
        topic = make_topic(forum, author, subject=f"Question {repetition}", replies=1)
        url = moderation_url("topic_delete", topic)

        outcomes = race(
            *(post(client, url, {"reason": "Doublon"}) for client in moderators),
            rendezvous=rendezvous,
        )

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        assert not Topic.objects.filter(pk=topic.pk).exists()
        assert notified(author, NotificationKind.MODERATION) == 1, repetition
        assert fr("This question was already deleted by another moderator.") in told(outcomes)


def queued_answer(forum, place, repetition):
    """A question (its author follows it) and an answer waiting in the moderation queue."""
    asker = person(place)
    topic = make_topic(forum, asker, subject=f"Question {repetition}")
    return asker, answer(topic, person(place), approved=False, content=f"Réponse {repetition}")


def test_two_moderators_approving_one_message_at_once(forum, place, moderators, monkeypatch):
    """Approved once: the question's followers are told of the answer once. (The rendezvous
    is machina's save, after `Post.save` read whether the post was already approved.)"""
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, AbstractPost, "save")
    for repetition in range(REPETITIONS):
        asker, queued = queued_answer(forum, place, repetition)
        url = reverse("forum_moderation:approve_queued_post", kwargs={"pk": queued.pk})

        outcomes = race(*(post(client, url) for client in moderators), rendezvous=rendezvous)

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        assert Post.objects.get(pk=queued.pk).approved
        assert notified(asker, NotificationKind.FORUM_ANSWER) == 1, repetition
        assert fr("This message was already approved by another moderator.") in told(outcomes)


def test_two_moderators_rejecting_one_message_at_once(forum, place, moderators, monkeypatch):
    """Rejected once, its author told once."""
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, Post, "delete")
    for repetition in range(REPETITIONS):
        _asker, queued = queued_answer(forum, place, repetition)
        url = reverse("forum_moderation:disapprove_queued_post", kwargs={"pk": queued.pk})

        outcomes = race(
            *(post(client, url, {"reason": "Publicité"}) for client in moderators),
            rendezvous=rendezvous,
        )

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        assert not Post.objects.filter(pk=queued.pk).exists()
        assert notified(queued.poster, NotificationKind.MODERATION) == 1, repetition
        assert fr("This message was already rejected by another moderator.") in told(outcomes)


def test_one_moderator_approving_while_another_rejects(forum, place, moderators, monkeypatch):
    """One decision is taken; the other moderator is told, whichever came second."""
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, AbstractPost, "save")
    rendezvous.install(monkeypatch, Post, "delete")
    for repetition in range(REPETITIONS):
        _asker, queued = queued_answer(forum, place, repetition)
        approve = reverse("forum_moderation:approve_queued_post", kwargs={"pk": queued.pk})
        reject = reverse("forum_moderation:disapprove_queued_post", kwargs={"pk": queued.pk})

        outcomes = race(
            post(moderators[0], approve),
            post(moderators[1], reject, {"reason": "Publicité"}),
            rendezvous=rendezvous,
        )

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        approved = Post.objects.filter(pk=queued.pk, approved=True).exists()
        rejected = not Post.objects.filter(pk=queued.pk).exists()
        assert approved != rejected, repetition
        assert notified(queued.poster, NotificationKind.MODERATION) == int(rejected)
        expected = (
            "This message was approved by another moderator meanwhile."
            if approved
            else "This message was rejected by another moderator."
        )
        assert fr(expected) in told(outcomes), told(outcomes)


def test_two_moderators_moving_one_question_to_two_themes_at_once(
    forum, place, moderators, monkeypatch
):
    """Moved once (the second move does not undo the first one), its author told once, the
    themes' counters right; the slower moderator is told where the question went."""
    rendezvous = Rendezvous()
    rendezvous.install(monkeypatch, Topic, "save")
    themes = [Forum.objects.get(name=name) for name in ("Logement", "Scolarisation")]
    for repetition in range(REPETITIONS):
        author = person(place)
        topic = make_topic(forum, author, subject=f"Question {repetition}")
        url = moderation_url("topic_move", topic)

        outcomes = race(
            *(
                post(client, url, {"forum": theme.pk, "reason": "Mauvais thème"})
                for client, theme in zip(moderators, themes, strict=True)
            ),
            rendezvous=rendezvous,
        )

        assert [outcome.status for outcome in outcomes] == [302, 302], repetition
        moved = Topic.objects.get(pk=topic.pk)
        assert moved.forum_id in {theme.pk for theme in themes}
        assert notified(author, NotificationKind.MODERATION) == 1, repetition
        for theme in (forum, *themes):
            theme.refresh_from_db()
            assert theme.direct_topics_count == theme.topics.filter(approved=True).count()
        expected = fr("This question was moved to the theme %(forum)s by another moderator.") % {
            "forum": moved.forum.name
        }
        assert expected in told(outcomes), told(outcomes)
