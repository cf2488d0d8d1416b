"""Per-territory moderation, and moderation decisions told to the authors with a reason."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from notifications.models import Notification

from activity.enums import NotificationKind
from directory.enums import Role, UserStatus
from forum import perms as forum_perms
from tests.directory.factories import (
    CommuneFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
    give_area,
)
from tests.forum.utils import (
    Post,
    Topic,
    answer,
    department,
    fr,
    local_admin,
    make_topic,
    moderation_url,
    person,
    topic_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    region = RegionFactory(code="11", name="Île-de-France")
    d93 = department("93")
    d93.region = region
    d93.save()
    return {
        "region": region,
        "d93": d93,
        "d69": department("69"),
        "commune93": CommuneFactory(code="93066", department=d93),
    }


def author_of(kind, places):
    """Authors placed in various ways (own area, organisation's area, none, national)."""
    if kind == "own_93":
        return person(places["d93"])
    if kind == "commune_93":
        return person(places["commune93"])
    if kind == "organization_93":
        organization = OrganizationFactory()
        give_area(organization, places["d93"])
        return UserFactory(organization=organization)
    if kind == "own_69":
        return person(places["d69"])
    if kind == "no_area":
        return UserFactory()
    if kind == "national":
        return _national_person()
    raise ValueError(kind)


def _national_person():
    user = UserFactory()
    give_area(user, None)
    return user


def moderator_of(kind, places):
    if kind == "national_admin":
        return UserFactory(role=Role.NATIONAL_ADMIN)
    if kind == "local_admin_93":
        return local_admin(places["d93"])
    if kind == "local_admin_region":
        return local_admin(places["region"])
    if kind == "local_admin_69":
        return local_admin(places["d69"])
    if kind == "inactive_local_admin_93":
        return _inactive(local_admin(places["d93"]))
    if kind == "member_93":
        return person(places["d93"])
    raise ValueError(kind)


def _inactive(user):
    user.status = UserStatus.INACTIVE
    user.save()
    return user


AUTHORS = ["own_93", "commune_93", "organization_93", "own_69", "no_area", "national"]
# moderator -> authors they moderate (the rule of forum/perms.py)
MODERATES = {
    "national_admin": set(AUTHORS),
    "local_admin_93": {"own_93", "commune_93", "organization_93"},
    "local_admin_region": {"own_93", "commune_93", "organization_93"},
    "local_admin_69": {"own_69"},
    "inactive_local_admin_93": set(),
    "member_93": set(),
}


@pytest.mark.parametrize("moderator_kind", list(MODERATES))
def test_who_moderates_whom(places, moderator_kind):
    moderator = moderator_of(moderator_kind, places)
    authors = {kind: author_of(kind, places) for kind in AUTHORS}
    expected = MODERATES[moderator_kind]
    for kind, author in authors.items():
        assert forum_perms.can_moderate_user(moderator, author) is (kind in expected), kind
    # The batched version (moderation queue) agrees, in a constant number of queries.
    ids = {author.pk: kind for kind, author in authors.items()}
    with CaptureQueriesContext(connection) as queries:
        allowed = forum_perms.moderated_author_ids(moderator, set(ids))
    assert {ids[pk] for pk in allowed} == expected
    assert len(queries) <= 8


def test_the_batched_rule_does_not_grow_with_authors(places):
    moderator = local_admin(places["d93"])
    few = {person(places["d93"]).pk for _ in range(2)} | {UserFactory().pk}
    forum_perms.moderated_author_ids(moderator, few)
    with CaptureQueriesContext(connection) as small:
        forum_perms.moderated_author_ids(moderator, few)
    many = (
        few | {person(places["d93"]).pk for _ in range(10)} | {UserFactory().pk for _ in range(5)}
    )
    with CaptureQueriesContext(connection) as large:
        assert len(forum_perms.moderated_author_ids(moderator, many)) == 12
    assert len(small) == len(large)


@pytest.mark.parametrize(
    ("moderator_kind", "allowed"),
    [
        ("local_admin_93", True),
        ("national_admin", True),
        ("local_admin_69", False),
        ("member_93", False),
    ],
)
def test_moderation_pages_follow_the_territory(client, forum, places, moderator_kind, allowed):
    author = person(places["d93"])
    topic = make_topic(forum, author)
    reply = answer(topic, author)
    queued = make_topic(forum, author, approved=False, subject="En attente").first_post
    client.force_login(moderator_of(moderator_kind, places))
    page = client.get(topic_url(topic)).content.decode()
    for name in ("topic_lock", "topic_move", "topic_delete"):
        assert (moderation_url(name, topic) in page) is allowed, name
        assert client.get(moderation_url(name, topic)).status_code == (200 if allowed else 403)
    for name in ("queued_post", "approve_queued_post", "disapprove_queued_post"):
        url = reverse(f"forum_moderation:{name}", kwargs={"pk": queued.pk})
        assert client.get(url).status_code == (200 if allowed else 403), name
    edit = reverse(
        "forum_conversation:post_update",
        kwargs={
            "forum_slug": forum.slug, "forum_pk": forum.pk, "topic_slug": topic.slug,
            "topic_pk": topic.pk, "pk": reply.pk,
        },
    )  # fmt: skip
    assert client.get(edit).status_code == (200 if allowed else 403)
    # Refused POSTs change nothing.
    if not allowed:
        client.post(moderation_url("topic_lock", topic), {"reason": "Non"})
        client.post(moderation_url("topic_delete", topic), {"reason": "Non"})
        topic.refresh_from_db()
        assert not topic.is_locked


@pytest.fixture
def moderated(forum, places, notify_calls):
    author = person(places["d93"], email="auteur@exemple.test")
    topic = make_topic(forum, author, subject="Question hors charte")
    moderator = local_admin(places["d93"])
    notify_calls.clear()
    return {"topic": topic, "author": author, "moderator": moderator, "calls": notify_calls}


def assert_told(moderated, reason, action_msgid):
    stored = Notification.objects.get(recipient=moderated["author"])
    assert stored.data["kind"] == NotificationKind.MODERATION
    assert reason in stored.verb
    (call,) = moderated["calls"]
    assert call["kind"] == NotificationKind.MODERATION
    assert call["email_template"] and call["email_subject"]
    body = render_to_string(call["email_template"], call["email_context"])
    assert reason in body and fr(action_msgid) in body


@pytest.mark.parametrize("name", ["topic_lock", "topic_delete"])
def test_locking_and_deleting_need_a_reason(client, moderated, name):
    topic = moderated["topic"]
    client.force_login(moderated["moderator"])
    response = client.post(moderation_url(name, topic), {"reason": "  "})
    assert response.status_code == 200
    html = response.content.decode()
    assert fr("Give the reason of your decision to the author.") in html
    assert 'aria-invalid="true"' in html or "fr-input-group--error" in html
    assert Topic.objects.filter(pk=topic.pk, status=Topic.TOPIC_UNLOCKED).exists()
    assert not Notification.objects.exists()


def test_locking_tells_the_author_why(client, moderated):
    topic = moderated["topic"]
    client.force_login(moderated["moderator"])
    response = client.post(moderation_url("topic_lock", topic), {"reason": "Propos injurieux"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.is_locked
    assert_told(moderated, "Propos injurieux", "locked your question")
    # Unlocking needs no reason.
    assert client.post(moderation_url("topic_unlock", topic)).status_code == 302
    topic.refresh_from_db()
    assert not topic.is_locked


def test_deleting_tells_the_author_why(client, moderated):
    topic = moderated["topic"]
    client.force_login(moderated["moderator"])
    response = client.post(moderation_url("topic_delete", topic), {"reason": "Doublon"})
    assert response.status_code == 302
    assert not Topic.objects.filter(pk=topic.pk).exists()
    assert_told(moderated, "Doublon", "deleted your question")


def test_moving_tells_the_author_why(client, moderated, forums):
    topic = moderated["topic"]
    housing = forums["Logement"]
    client.force_login(moderated["moderator"])
    page = client.get(moderation_url("topic_move", topic))
    assert page.status_code == 200 and "Logement" in page.content.decode()
    refused = client.post(
        moderation_url("topic_move", topic), {"forum": topic.forum_id, "reason": "x"}
    )
    assert refused.status_code == 200
    assert fr("Choose another theme for this question.") in refused.content.decode()
    response = client.post(
        moderation_url("topic_move", topic), {"forum": housing.pk, "reason": "Mauvais thème"}
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.forum == housing
    assert_told(moderated, "Mauvais thème", "Logement")


def test_rejecting_a_queued_message_tells_its_author_why(client, forum, places, notify_calls):
    author = person(places["d93"])
    post = make_topic(forum, author, approved=False, subject="Publicité").first_post
    client.force_login(local_admin(places["d93"]))
    url = reverse("forum_moderation:disapprove_queued_post", kwargs={"pk": post.pk})
    assert client.post(url, {"reason": ""}).status_code == 200
    assert Post.objects.filter(pk=post.pk).exists()
    assert client.post(url, {"reason": "Message publicitaire"}).status_code == 302
    assert not Post.objects.filter(pk=post.pk).exists()
    stored = Notification.objects.get(recipient=author)
    assert stored.data["kind"] == NotificationKind.MODERATION
    assert "Message publicitaire" in stored.verb


def post_delete_url(post):
    topic = post.topic
    return reverse(
        "forum_conversation:post_delete",
        kwargs={
            "forum_slug": topic.forum.slug, "forum_pk": topic.forum_id, "topic_slug": topic.slug,
            "topic_pk": topic.pk, "pk": post.pk,
        },
    )  # fmt: skip


def test_a_moderator_deleting_an_answer_gives_a_reason_an_author_does_not(client, moderated):
    topic, author = moderated["topic"], moderated["author"]
    other = person(department("93"))
    reply = answer(topic, other, content="Réponse hors sujet")
    own = answer(topic, author, content="Ma précision")
    client.force_login(moderated["moderator"])
    page = client.get(post_delete_url(reply)).content.decode()
    assert 'name="reason"' in page
    assert client.post(post_delete_url(reply), {"reason": ""}).status_code == 200
    assert client.post(post_delete_url(reply), {"reason": "Hors sujet"}).status_code == 302
    assert not Post.objects.filter(pk=reply.pk).exists()
    stored = Notification.objects.get(recipient=other, data__kind=NotificationKind.MODERATION)
    assert "Hors sujet" in stored.verb
    client.force_login(author)
    assert 'name="reason"' not in client.get(post_delete_url(own)).content.decode()
    assert client.post(post_delete_url(own)).status_code == 302
    assert not Post.objects.filter(pk=own.pk).exists()
    assert not Notification.objects.filter(
        recipient=author, data__kind=NotificationKind.MODERATION
    ).exists()
