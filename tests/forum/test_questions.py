"""Questions: themes (tags), the solved state and its notification, following a theme."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from notifications.models import Notification

from activity.enums import NotificationKind
from directory.enums import Role, UserStatus
from forum import notifications
from tests.directory.factories import UserFactory
from tests.forum.utils import (
    ThemeSubscription,
    Topic,
    answer,
    create_url,
    department,
    follow_url,
    forum_url,
    fr,
    local_admin,
    make_topic,
    person,
    solve_url,
    topic_url,
)

pytestmark = pytest.mark.django_db


# --- Themes ---------------------------------------------------------------------------------------


def test_a_question_is_asked_with_themes_shown_on_its_page_and_in_the_list(client, forum):
    author = UserFactory(role=Role.NATIONAL_ADMIN)
    client.force_login(author)
    form = client.get(create_url(forum)).content.decode()
    assert 'name="tags"' in form and "Santé" in form and "Médiation" in form
    response = client.post(
        create_url(forum),
        {
            "subject": "Médiation en santé",
            "content": "Qui finance ?",
            "tags": ["health", "mediation"],
        },
    )
    assert response.status_code == 302
    topic = Topic.objects.get(subject="Médiation en santé")
    assert topic.tags == ["health", "mediation"]
    for url in (topic_url(topic), forum_url(forum)):
        html = client.get(url).content.decode()
        assert "fr-badge" in html and "Médiation" in html


def test_unknown_themes_are_refused_with_a_french_message(client, forum):
    client.force_login(UserFactory(role=Role.NATIONAL_ADMIN))
    response = client.post(
        create_url(forum), {"subject": "Question", "content": "Détails", "tags": ["astrologie"]}
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Topic.objects.filter(subject="Question").exists()


def test_the_author_changes_the_themes_when_editing_the_question(client, forum):
    author = UserFactory()
    topic = make_topic(forum, author, tags=["health"])
    client.force_login(author)
    url = reverse(
        "forum_conversation:topic_update",
        kwargs={"forum_slug": forum.slug, "forum_pk": forum.pk, "slug": topic.slug, "pk": topic.pk},
    )
    page = client.get(url).content.decode()
    assert 'value="health"' in page and "checked" in page
    response = client.post(
        url, {"subject": topic.subject, "content": "Précisions", "tags": ["school"]}
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.tags == ["school"]


# --- Solved state ---------------------------------------------------------------------------------


@pytest.fixture
def question(forum):
    place = department("93")
    author, helper = person(place), person(place, first_name="Inès", last_name="Martin")
    topic = make_topic(forum, author, subject="Domiciliation des familles")
    accepted = answer(topic, helper, content="Le CCAS peut domicilier.")
    topic.refresh_from_db()
    return {"topic": topic, "author": author, "helper": helper, "answer": accepted, "place": place}


def test_the_author_marks_an_answer_accepted_and_its_author_is_notified(
    client, question, notify_calls
):
    topic, post = question["topic"], question["answer"]
    client.force_login(question["author"])
    page = client.get(topic_url(topic)).content.decode()
    assert fr("Accept this answer") in page
    notify_calls.clear()
    response = client.post(solve_url(topic), {"post": post.pk})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.solved_post == post and topic.solved_by == question["author"]
    assert topic.solved_at is not None
    # In-app notification for the accepted answer's author only.
    stored = Notification.objects.get(recipient=question["helper"])
    assert stored.data["kind"] == NotificationKind.FORUM_SOLVED
    assert "Domiciliation des familles" in stored.verb
    assert not Notification.objects.filter(
        recipient=question["author"], data__kind=NotificationKind.FORUM_SOLVED
    ).exists()
    (call,) = notify_calls
    body = render_to_string(call["email_template"], call["email_context"])
    assert "Domiciliation des familles" in call["email_subject"]
    assert "/entraide/" in body
    # The page shows the state and highlights the accepted answer.
    page = client.get(topic_url(topic)).content.decode()
    assert fr("Solved") in page and fr("Accepted answer") in page
    assert "forum-accepted-answer" in page
    assert 'name="unsolve"' in page
    # The forum list shows the state too.
    assert fr("Solved") in client.get(forum_url(topic.forum)).content.decode()


def test_marking_it_open_again(client, question):
    topic = question["topic"]
    client.force_login(question["author"])
    client.post(solve_url(topic), {"post": question["answer"].pk})
    assert client.post(solve_url(topic), {"unsolve": "1"}).status_code == 302
    topic.refresh_from_db()
    assert topic.solved_post is None and topic.solved_at is None


def test_accepting_ones_own_answer_notifies_nobody(client, question):
    topic, author = question["topic"], question["author"]
    own = answer(topic, author, content="J’ai trouvé.")
    client.force_login(author)
    client.post(solve_url(topic), {"post": own.pk})
    topic.refresh_from_db()
    assert topic.solved_post == own
    assert not Notification.objects.filter(data__kind=NotificationKind.FORUM_SOLVED).exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("author", True),
        ("helper", False),
        ("other_member", False),
        ("local_admin_here", True),
        ("local_admin_elsewhere", False),
        ("national_admin", True),
        ("inactive_author", False),
    ],
)
def test_who_may_mark_a_question_solved(client, question, who, allowed):
    topic = question["topic"]
    users = {
        "author": lambda: question["author"],
        "helper": lambda: question["helper"],
        "other_member": lambda: person(question["place"]),
        "local_admin_here": lambda: local_admin(question["place"]),
        "local_admin_elsewhere": lambda: local_admin(department("69")),
        "national_admin": lambda: UserFactory(role=Role.NATIONAL_ADMIN),
        "inactive_author": lambda: question["author"],
    }
    user = users[who]()
    if who == "inactive_author":
        user.status = UserStatus.INACTIVE
        user.save()
    client.force_login(user)
    page = client.get(topic_url(topic))
    response = client.post(solve_url(topic), {"post": question["answer"].pk})
    topic.refresh_from_db()
    assert (topic.solved_post_id == question["answer"].pk) is allowed
    if allowed:
        assert fr("Accept this answer") in page.content.decode()
        assert response.status_code == 302
    else:
        assert response.status_code in (302, 403)
        if page.status_code == 200:
            assert fr("Accept this answer") not in page.content.decode()
        if response.status_code == 302:  # inactive: sent away by the charter/account gate
            assert "/entraide/" not in response.url


@pytest.mark.parametrize("choice", ["first_post", "other_topic", "unapproved", "garbage", "none"])
def test_only_an_approved_answer_of_the_question_can_be_accepted(client, question, forum, choice):
    topic = question["topic"]
    other = make_topic(forum, UserFactory(), subject="Autre question")
    values = {
        "first_post": topic.first_post_id,
        "other_topic": answer(other, question["helper"]).pk,
        "unapproved": answer(topic, person(), approved=False).pk,
        "garbage": "abc",
        "none": "",
    }
    client.force_login(question["author"])
    response = client.post(solve_url(topic), {"post": values[choice]}, follow=True)
    assert response.status_code == 200
    assert fr("Choose one of the answers to this question.") in response.content.decode()
    topic.refresh_from_db()
    assert topic.solved_post is None


def test_the_solve_url_checks_the_forum_and_the_method(client, question, forums):
    topic = question["topic"]
    client.force_login(question["author"])
    assert client.get(solve_url(topic)).status_code == 405
    other_forum = forums["Logement"]
    url = reverse(
        "forum_conversation:topic_solve",
        kwargs={
            "forum_slug": other_forum.slug, "forum_pk": other_forum.pk,
            "slug": topic.slug, "pk": topic.pk,
        },
    )  # fmt: skip
    assert client.post(url, {"post": question["answer"].pk}).status_code == 404


# --- Following a theme ----------------------------------------------------------------------------


def test_members_follow_and_unfollow_the_new_questions_of_a_theme(client, forum):
    reader = UserFactory()
    client.force_login(reader)
    page = client.get(forum_url(forum)).content.decode()
    assert fr("Be told of new questions") in page
    assert client.post(follow_url(forum)).status_code == 302
    assert ThemeSubscription.objects.filter(user=reader, forum=forum).exists()
    client.post(follow_url(forum))  # twice: still one subscription
    assert ThemeSubscription.objects.filter(user=reader).count() == 1
    page = client.get(forum_url(forum)).content.decode()
    assert fr("Stop following the new questions") in page
    assert client.post(follow_url(forum), {"unfollow": "1"}).status_code == 302
    assert not ThemeSubscription.objects.filter(user=reader).exists()


def test_following_a_theme_needs_a_member_and_a_post(client, forum):
    assert client.post(follow_url(forum)).status_code == 302  # anonymous: login page
    assert not ThemeSubscription.objects.exists()
    client.force_login(UserFactory())
    assert client.get(follow_url(forum)).status_code == 405
    missing = reverse(
        "forum_conversation:theme_follow", kwargs={"forum_slug": "x", "forum_pk": 999999}
    )
    assert client.post(missing).status_code == 404


def test_new_question_recipients_are_the_active_followers_of_the_theme(forums, notify_calls):
    health, housing = forums["Santé"], forums["Logement"]
    author, follower, other_theme, inactive, self_follower = (UserFactory() for _ in range(5))
    inactive.status = UserStatus.INACTIVE
    inactive.save()
    for user, forum in [
        (follower, health), (other_theme, housing), (inactive, health), (author, health),
    ]:  # fmt: skip
        ThemeSubscription.objects.create(user=user, forum=forum)
    topic = make_topic(health, author, subject="Vaccination")
    assert notifications.new_question_recipients(topic) == [follower]
    stored = Notification.objects.get(data__kind=NotificationKind.FORUM_NEW_QUESTION)
    assert stored.recipient == follower and "Vaccination" in stored.verb
    call = next(c for c in notify_calls if c["kind"] == NotificationKind.FORUM_NEW_QUESTION)
    body = render_to_string(call["email_template"], call["email_context"])
    assert "Vaccination" in call["email_subject"] and "Santé" in body
    assert self_follower not in notifications.new_question_recipients(topic)


def test_a_queued_question_is_told_to_followers_once_approved(forum):
    follower = UserFactory()
    ThemeSubscription.objects.create(user=follower, forum=forum)
    topic = make_topic(forum, UserFactory(), approved=False, subject="En attente")
    assert notifications.new_question_recipients(topic) == []
    assert not Notification.objects.exists()
    post = topic.first_post
    post.approved = True
    post.save()
    topic.refresh_from_db()
    assert topic.approved
    assert Notification.objects.get().recipient == follower


def test_answers_are_not_told_as_new_questions(forum):
    follower = UserFactory()
    ThemeSubscription.objects.create(user=follower, forum=forum)
    topic = make_topic(forum, UserFactory())
    Notification.objects.all().delete()
    answer(topic, UserFactory())
    assert not Notification.objects.filter(data__kind=NotificationKind.FORUM_NEW_QUESTION).exists()
