"""Every forum moderation decision writes one audit log entry (Wagtail's log, as the journal's
moderation does) naming the moderator, the question or message, and the reason given; the
entries' labels are French in the audit screens."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation
from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry

from forum import services
from tests.forum.utils import (
    Post,
    Topic,
    answer,
    department,
    local_admin,
    make_topic,
    moderation_url,
    person,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    return department("93")


@pytest.fixture
def board(forums, place):
    author = person(place)
    return {
        "forum": forums["Santé"],
        "housing": forums["Logement"],
        "author": author,
        "topic": make_topic(forums["Santé"], author, subject="Question hors charte"),
        "moderator": local_admin(place),
    }


def the_entry(action, instance, *, by):
    """The one log entry of `action`, checked to name `by` and `instance` (a Topic or Post)."""
    (entry,) = ModelLogEntry.objects.filter(action=action)
    assert entry.user_id == by.pk
    assert entry.content_type == ContentType.objects.get_for_model(type(instance))
    assert entry.object_id == str(instance.pk)
    return entry


def post_url(name, post):
    topic = post.topic
    return reverse(
        f"forum_conversation:{name}",
        kwargs={
            "forum_slug": topic.forum.slug, "forum_pk": topic.forum_id, "topic_slug": topic.slug,
            "topic_pk": topic.pk, "pk": post.pk,
        },
    )  # fmt: skip


def test_locking_and_unlocking_are_logged(client, board):
    topic, moderator = board["topic"], board["moderator"]
    client.force_login(moderator)

    assert client.post(moderation_url("topic_lock", topic), {"reason": "Hors charte"}).status_code
    entry = the_entry(services.ACTION_LOCK, topic, by=moderator)
    assert entry.data["reason"] == "Hors charte"
    assert entry.label == topic.subject
    assert registry.get_formatter(entry).format_comment(entry) == "Hors charte"

    assert client.post(moderation_url("topic_unlock", topic)).status_code == 302
    the_entry(services.ACTION_UNLOCK, topic, by=moderator)
    # Unlocking a question that is not locked writes nothing more.
    client.post(moderation_url("topic_unlock", topic))
    assert ModelLogEntry.objects.filter(action=services.ACTION_UNLOCK).count() == 1


def test_a_lock_refused_as_already_taken_is_logged_once(client, board):
    topic, moderator = board["topic"], board["moderator"]
    client.force_login(moderator)
    client.post(moderation_url("topic_lock", topic), {"reason": "Hors charte"})
    client.post(moderation_url("topic_lock", topic), {"reason": "Encore"})
    assert ModelLogEntry.objects.filter(action=services.ACTION_LOCK).count() == 1


def test_moving_is_logged_with_both_themes(client, board):
    topic, moderator = board["topic"], board["moderator"]
    client.force_login(moderator)
    response = client.post(
        moderation_url("topic_move", topic),
        {"forum": board["housing"].pk, "reason": "Mauvais thème"},
    )
    assert response.status_code == 302
    entry = the_entry(services.ACTION_MOVE, topic, by=moderator)
    assert entry.data == {
        "from": "Santé",
        "to": "Logement",
        "locked": False,
        "reason": "Mauvais thème",
    }


@pytest.mark.parametrize(
    ("name", "topic_type"),
    [
        ("topic_update_to_sticky", Topic.TOPIC_STICKY),
        ("topic_update_to_announce", Topic.TOPIC_ANNOUNCE),
    ],
)
def test_changing_the_type_is_logged(client, board, name, topic_type):
    topic, moderator = board["topic"], board["moderator"]
    client.force_login(moderator)
    assert client.post(moderation_url(name, topic)).status_code == 302
    topic.refresh_from_db()
    assert topic.type == topic_type
    entry = the_entry(services.ACTION_TYPE, topic, by=moderator)
    assert entry.data == {"type": topic_type}


def test_deleting_a_question_is_logged_and_outlives_it(client, board):
    topic, moderator = board["topic"], board["moderator"]
    client.force_login(moderator)
    assert client.post(moderation_url("topic_delete", topic), {"reason": "Doublon"}).status_code
    assert not Topic.objects.filter(pk=topic.pk).exists()
    entry = the_entry(services.ACTION_DELETE_TOPIC, topic, by=moderator)
    assert entry.data["reason"] == "Doublon"
    assert entry.label == "Question hors charte"


def test_approving_and_rejecting_queued_messages_are_logged(client, board, place):
    moderator = board["moderator"]
    approved = answer(board["topic"], person(place), approved=False, content="Réponse utile")
    rejected = answer(board["topic"], person(place), approved=False, content="Publicité")
    client.force_login(moderator)

    url = reverse("forum_moderation:approve_queued_post", kwargs={"pk": approved.pk})
    assert client.post(url).status_code == 302
    the_entry(services.ACTION_APPROVE, approved, by=moderator)

    url = reverse("forum_moderation:disapprove_queued_post", kwargs={"pk": rejected.pk})
    assert client.post(url, {"reason": "Message publicitaire"}).status_code == 302
    assert not Post.objects.filter(pk=rejected.pk).exists()
    entry = the_entry(services.ACTION_REJECT, rejected, by=moderator)
    assert entry.data["reason"] == "Message publicitaire"


def test_deleting_someone_elses_message_is_logged_with_the_reason(client, board, place):
    moderator = board["moderator"]
    reply = answer(board["topic"], person(place), content="Hors sujet")
    client.force_login(moderator)
    assert client.post(post_url("post_delete", reply), {"reason": "Hors sujet"}).status_code
    assert not Post.objects.filter(pk=reply.pk).exists()
    entry = the_entry(services.ACTION_DELETE_POST, reply, by=moderator)
    assert entry.data == {"topic": board["topic"].pk, "reason": "Hors sujet"}


def test_an_author_deleting_their_own_message_is_logged_without_reason(client, board):
    author = board["author"]
    own = answer(board["topic"], author, content="Ma précision")
    client.force_login(author)
    assert client.post(post_url("post_delete", own)).status_code == 302
    entry = the_entry(services.ACTION_DELETE_POST, own, by=author)
    assert entry.data == {"topic": board["topic"].pk}


def test_a_moderators_edit_is_logged_an_authors_own_is_not(client, board, place):
    topic, moderator, author = board["topic"], board["moderator"], board["author"]
    reply = answer(topic, person(place), content="Propos à reformuler")
    client.force_login(moderator)
    response = client.post(
        post_url("post_update", reply), {"subject": reply.subject, "content": "Reformulé"}
    )
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.content.raw == "Reformulé"
    the_entry(services.ACTION_EDIT_POST, reply, by=moderator)

    own = answer(topic, author, content="Ma réponse")
    client.force_login(author)
    response = client.post(
        post_url("post_update", own), {"subject": own.subject, "content": "Ma réponse corrigée"}
    )
    assert response.status_code == 302
    assert ModelLogEntry.objects.filter(action=services.ACTION_EDIT_POST).count() == 1


def test_a_moderators_edit_of_a_question_is_logged(client, board):
    topic, moderator = board["topic"], board["moderator"]
    forum = board["forum"]
    client.force_login(moderator)
    url = reverse(
        "forum_conversation:topic_update",
        kwargs={"forum_slug": forum.slug, "forum_pk": forum.pk, "slug": topic.slug, "pk": topic.pk},
    )
    response = client.post(
        url, {"subject": "Question reformulée", "content": "Reformulée", "tags": ["health"]}
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.subject == "Question reformulée"
    the_entry(services.ACTION_EDIT_POST, topic.first_post, by=moderator)


def test_a_refused_decision_writes_nothing(client, board):
    """A moderator whose territory does not cover the author is refused, and nothing is
    logged."""
    outsider = local_admin(department("69"))
    client.force_login(outsider)
    client.post(moderation_url("topic_lock", board["topic"]), {"reason": "Non"})
    client.post(moderation_url("topic_delete", board["topic"]), {"reason": "Non"})
    assert not ModelLogEntry.objects.filter(action__startswith="forum.").exists()


ACTIONS = [
    services.ACTION_LOCK,
    services.ACTION_UNLOCK,
    services.ACTION_MOVE,
    services.ACTION_TYPE,
    services.ACTION_DELETE_TOPIC,
    services.ACTION_APPROVE,
    services.ACTION_REJECT,
    services.ACTION_EDIT_POST,
    services.ACTION_DELETE_POST,
]


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_has_a_french_label(action):
    assert registry.action_exists(action)
    with translation.override("fr"):
        label = str(registry.get_action_label(action))
    with translation.override("en"):
        assert label != str(registry.get_action_label(action))
    assert "entraide" in label
