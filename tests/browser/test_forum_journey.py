"""Entraide in a browser: a question is asked, answered and marked solved; the answerer is told.
axe checks the forum pages on the way."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from machina.core.db.models import get_model
from notifications.models import Notification

from activity.enums import NotificationKind
from tests.browser.conftest import assert_no_violation, log_in
from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

Forum = get_model("forum", "Forum")
Topic = get_model("forum_conversation", "Topic")
Post = get_model("forum_conversation", "Post")


def trusted_member(email, forum, **attributes):
    """A member whose messages are published at once (one of them was already approved)."""
    user = UserFactory(email=email, **attributes)
    topic = Topic.objects.create(
        forum=forum, poster=user, subject=f"Présentation de {email}", type=Topic.TOPIC_POST,
        status=Topic.TOPIC_UNLOCKED, approved=True,
    )  # fmt: skip
    Post.objects.create(topic=topic, poster=user, subject=topic.subject, content="Bonjour")
    return user


@pytest.fixture
def health_forum():
    call_command("load_forum_demo", stdout=StringIO())
    return Forum.objects.get(name="Santé")


def test_a_question_is_asked_answered_and_solved(live_server, page, axe, health_forum):
    platform = Forum.objects.get(name="La plateforme")
    trusted_member("asker@exemple.test", platform)
    helper = trusted_member("helper@exemple.test", platform, first_name="Inès", last_name="Martin")

    # The first member asks a question with themes.
    log_in(page, live_server, "asker@exemple.test")
    page.goto(live_server.url + "/entraide/")
    assert_no_violation(page, axe)
    page.locator("main").get_by_role("link", name="Santé").first.click()
    page.wait_for_load_state()
    assert_no_violation(page, axe)

    create = reverse(
        "forum_conversation:topic_create",
        kwargs={"forum_slug": health_forum.slug, "forum_pk": health_forum.pk},
    )
    page.goto(live_server.url + create)
    assert_no_violation(page, axe)
    form = page.locator("main form")
    form.locator("input[name=subject]").fill("Domiciliation des familles")
    form.locator("input[name=tags][value=health]").check()
    form.locator("textarea[name=content]").fill(
        "Quelle structure peut **domicilier** les familles d’un site ?"
    )
    form.locator("button[type=submit]:not([name=preview])").click()
    page.wait_for_load_state()
    topic = Topic.objects.get(subject="Domiciliation des familles")
    assert topic.approved and topic.tags == ["health"]
    assert "Domiciliation des familles" in page.locator("main").inner_text()
    assert page.locator("main strong", has_text="domicilier").count() >= 1  # markdown rendered
    assert_no_violation(page, axe)

    # A second member answers.
    log_in(page, live_server, "helper@exemple.test")
    topic_path = reverse(
        "forum_conversation:topic",
        kwargs={
            "forum_slug": health_forum.slug, "forum_pk": health_forum.pk,
            "slug": topic.slug, "pk": topic.pk,
        },
    )  # fmt: skip
    page.goto(live_server.url + topic_path)
    page.locator("main a[href$='/post/create/']").first.click()
    page.wait_for_load_state()
    assert_no_violation(page, axe)
    page.locator("main form textarea[name=content]").fill("Le CCAS de la commune domicilie.")
    page.locator("main form button[type=submit]:not([name=preview])").click()
    page.wait_for_load_state()
    reply = Post.objects.get(topic=topic, poster=helper)

    # The first member marks it solved.
    log_in(page, live_server, "asker@exemple.test")
    page.goto(live_server.url + topic_path)
    page.locator(f"main article[id='{reply.pk}'] form button[type=submit]").click()
    page.wait_for_load_state()
    topic.refresh_from_db()
    assert topic.solved_post_id == reply.pk
    assert page.locator(f"main article[id='{reply.pk}'].forum-accepted-answer").count() == 1
    assert_no_violation(page, axe)

    # The answerer is told (in-app notification; the email goes through the activity app).
    told = Notification.objects.get(recipient=helper, data__kind=NotificationKind.FORUM_SOLVED)
    assert "Domiciliation des familles" in told.verb
