"""Subscriptions and answer notifications in Entraide (recipient rules)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from machina.core.db.models import get_model
from notifications.models import Notification

from activity.enums import NotificationKind
from directory.enums import Role, UserStatus
from forum import notifications
from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db

Forum = get_model("forum", "Forum")
Topic = get_model("forum_conversation", "Topic")
Post = get_model("forum_conversation", "Post")


@pytest.fixture
def forum():
    call_command("load_forum_demo", stdout=StringIO())
    return Forum.objects.get(name="Logement")


def ask(forum, author, subject="Domiciliation"):
    topic = Topic.objects.create(
        forum=forum,
        poster=author,
        subject=subject,
        type=Topic.TOPIC_POST,
        status=Topic.TOPIC_UNLOCKED,
        approved=True,
    )
    Post.objects.create(topic=topic, poster=author, subject=subject, content="?", approved=True)
    topic.refresh_from_db()
    return topic


def answer(topic, author, approved=True):
    return Post.objects.create(
        topic=topic, poster=author, subject="Re", content="Réponse", approved=approved
    )


def test_the_author_and_every_answerer_are_subscribed(forum):
    author, first, second = UserFactory(), UserFactory(), UserFactory()
    topic = ask(forum, author)
    answer(topic, first)
    answer(topic, second)
    assert set(topic.subscribers.all()) == {author, first, second}


def test_an_answer_is_told_to_subscribers_except_its_author(forum):
    author, answerer, follower = UserFactory(), UserFactory(), UserFactory()
    topic = ask(forum, author)
    topic.subscribers.add(follower)
    post = answer(topic, answerer)
    assert {user.pk for user in notifications.reply_recipients(post)} == {author.pk, follower.pk}


@pytest.mark.parametrize(
    "changes",
    [
        {"is_active": False},
        {"status": UserStatus.INACTIVE},
    ],
)
def test_subscribers_who_can_no_longer_read_are_not_told(forum, changes):
    author = UserFactory()
    topic = ask(forum, author)
    for field, value in changes.items():
        setattr(author, field, value)
    author.save()
    post = answer(topic, UserFactory())
    assert notifications.reply_recipients(post) == []


def test_a_post_waiting_for_approval_is_told_when_approved_only(forum):
    author = UserFactory()
    topic = ask(forum, author)
    newcomer = UserFactory(role=Role.INTERVENANT)
    post = answer(topic, newcomer, approved=False)
    assert notifications.reply_recipients(post) == []
    assert not topic.subscribers.filter(pk=newcomer.pk).exists()
    post.approved = True
    post.save()
    assert topic.subscribers.filter(pk=newcomer.pk).exists()
    assert [user.pk for user in notifications.reply_recipients(post)] == [author.pk]


def test_an_answer_is_notified_in_app_with_its_email(forum, notify_calls):
    author = UserFactory(email="auteur@exemple.test")
    topic = ask(forum, author, subject="Accès à l’eau")
    answerer = UserFactory(first_name="Inès", last_name="Martin")
    post = answer(topic, answerer)
    stored = Notification.objects.get(recipient=author)
    assert stored.data["kind"] == NotificationKind.FORUM_ANSWER
    assert stored.data["url"] == f"{notifications.topic_path(topic)}?post={post.pk}#{post.pk}"
    assert "Accès à l’eau" in stored.verb
    assert not Notification.objects.filter(recipient=answerer).exists()
    (call,) = notify_calls
    assert call["kind"] == NotificationKind.FORUM_ANSWER
    assert "Accès à l’eau" in call["email_subject"]
    body = render_to_string(call["email_template"], call["email_context"])
    assert "Inès Martin" in body and "/entraide/" in body and "Accès à l’eau" in body


def test_members_follow_and_unfollow_a_topic_from_its_page(client, forum):
    topic = ask(forum, UserFactory())
    reader = UserFactory()
    client.force_login(reader)
    page = client.get(notifications.topic_url(topic).split("localhost:8000")[-1])
    assert page.status_code == 200
    subscribe = reverse("forum_member:topic_subscribe", args=[topic.pk])
    unsubscribe = reverse("forum_member:topic_unsubscribe", args=[topic.pk])
    assert f'action="{subscribe}"' in page.content.decode()
    response = client.post(subscribe)
    assert response.status_code == 302
    assert topic.subscribers.filter(pk=reader.pk).exists()
    # Once following, the page offers to stop following instead.
    page = client.get(notifications.topic_url(topic).split("localhost:8000")[-1]).content.decode()
    assert f'action="{unsubscribe}"' in page and f'action="{subscribe}"' not in page
    response = client.post(unsubscribe)
    assert response.status_code == 302
    assert not topic.subscribers.filter(pk=reader.pk).exists()
