"""Entraide (django-machina): who sees and does what, French pages, flat query counts."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.enums import Role, UserStatus
from forum import perms as forum_perms
from tests.directory.factories import OrganizationFactory, UserFactory
from tests.forum.utils import (
    Forum,
    Post,
    Topic,
    answer,
    create_url,
    department,
    forum_url,
    local_admin,
    make_topic,
    moderation_url,
    person,
    topic_url,
)

pytestmark = pytest.mark.django_db


def test_the_command_creates_one_forum_per_theme_and_is_idempotent(forum):
    call_command("load_forum_demo", stdout=StringIO())
    assert Forum.objects.count() == 7
    names = set(Forum.objects.values_list("name", flat=True))
    assert names == {
        "Santé",
        "Scolarisation",
        "Emploi",
        "Logement",
        "Sécurisation",
        "Gestion des sites",
        "La plateforme",
    }


def test_anonymous_users_are_sent_to_the_login_page(client, forum):
    topic = make_topic(forum, UserFactory())
    for url in [
        reverse("forum:index"),
        forum_url(forum),
        topic_url(topic),
        create_url(forum),
        reverse("forum_moderation:queue"),
        reverse("forum_search:search"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    assert "Accès aux soins" not in client.get(topic_url(topic), follow=True).content.decode()


def test_users_without_the_charter_see_only_the_charter(client, forum):
    topic = make_topic(forum, UserFactory())
    client.force_login(UserFactory(charter_version_accepted=None, charter_accepted_at=None))
    for url in [reverse("forum:index"), forum_url(forum), topic_url(topic)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("charter")), url


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ({"role": Role.INTERVENANT}, forum_perms.MEMBER_PERMISSIONS),
        ({"role": Role.OBSERVATEUR_EXTERNE}, forum_perms.MEMBER_PERMISSIONS),
        ({"role": Role.LOCAL_ADMIN}, forum_perms.MODERATOR_PERMISSIONS),
        ({"role": Role.NATIONAL_ADMIN}, forum_perms.MODERATOR_PERMISSIONS),
        ({"role": Role.INTERVENANT, "status": UserStatus.INACTIVE}, frozenset()),
        ({"role": Role.LOCAL_ADMIN, "status": UserStatus.NEW}, frozenset()),
        ({"role": Role.NATIONAL_ADMIN, "is_active": False}, frozenset()),
    ],
)
def test_permissions_follow_the_platform_roles(attributes, expected):
    assert forum_perms.codenames_for(UserFactory(**attributes)) == expected


def test_members_post_without_approval_once_a_post_was_approved(forum):
    user = UserFactory()
    assert "can_post_without_approval" not in forum_perms.codenames_for(user)
    make_topic(forum, user)
    assert "can_post_without_approval" in forum_perms.codenames_for(UserFactory.build(pk=user.pk))


def test_index_and_topic_pages_are_in_french_for_a_member(client, forum):
    topic = make_topic(forum, UserFactory(), replies=2)
    client.force_login(UserFactory())
    index = client.get(reverse("forum:index"))
    assert index.status_code == 200
    html = index.content.decode()
    assert 'lang="fr"' in html
    assert "Agir ensemble pour résorber les bidonvilles" in html  # platform layout
    for name in ["Santé", "Scolarisation", "La plateforme"]:
        assert name in html
    assert "fr-table" in html
    page = client.get(topic_url(topic))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Accès aux soins" in html and "Réponse 1" in html
    assert "fr-card" in html
    assert "Sujets" in client.get(forum_url(forum)).content.decode()
    forum_page = client.get(forum_url(forum))
    assert forum_page.status_code == 200
    assert "Accès aux soins" in forum_page.content.decode()


def test_a_member_creates_a_topic_that_waits_for_approval_then_an_admin_approves_it(client, forum):
    place = department("93")
    member = person(place)
    client.force_login(member)
    form = client.get(create_url(forum))
    assert form.status_code == 200
    assert "fr-input" in form.content.decode()
    response = client.post(
        create_url(forum), {"subject": "Vaccination des enfants", "content": "Qui contacter ?"}
    )
    assert response.status_code == 302
    topic = Topic.objects.get(subject="Vaccination des enfants")
    assert topic.poster == member
    assert topic.approved is False
    assert topic.first_post.approved is False
    # Other members do not see it yet.
    client.force_login(UserFactory())
    assert "Vaccination des enfants" not in client.get(forum_url(forum)).content.decode()
    # An ordinary member has no moderation queue.
    assert client.get(reverse("forum_moderation:queue")).status_code == 403
    assert (
        client.post(
            reverse("forum_moderation:approve_queued_post", kwargs={"pk": topic.first_post.pk})
        ).status_code
        == 403
    )
    # A local administrator of another territory does not see it.
    client.force_login(local_admin(department("69")))
    assert (
        "Vaccination des enfants"
        not in client.get(reverse("forum_moderation:queue")).content.decode()
    )
    # The local administrator of the member's territory approves it.
    client.force_login(local_admin(place))
    queue = client.get(reverse("forum_moderation:queue"))
    assert queue.status_code == 200
    assert "Vaccination des enfants" in queue.content.decode()
    approved = client.post(
        reverse("forum_moderation:approve_queued_post", kwargs={"pk": topic.first_post.pk})
    )
    assert approved.status_code == 302
    topic.refresh_from_db()
    assert topic.approved is True
    # Its author now posts without approval.
    client.force_login(member)
    client.post(create_url(forum), {"subject": "Deuxième question", "content": "Merci"})
    assert Topic.objects.get(subject="Deuxième question").approved is True


def test_admin_topics_are_published_at_once(client, forum):
    client.force_login(UserFactory(role=Role.NATIONAL_ADMIN))
    client.post(create_url(forum), {"subject": "Annonce", "content": "Bienvenue"})
    assert Topic.objects.get(subject="Annonce").approved is True


def test_a_local_admin_locks_and_deletes_a_topic(client, forum):
    place = department("93")
    topic = make_topic(forum, person(place))
    client.force_login(local_admin(place))
    page = client.get(topic_url(topic)).content.decode()
    assert moderation_url("topic_lock", topic) in page
    assert moderation_url("topic_delete", topic) in page
    assert client.get(moderation_url("topic_lock", topic)).status_code == 200
    assert (
        client.post(moderation_url("topic_lock", topic), {"reason": "Hors sujet"}).status_code
        == 302
    )
    topic.refresh_from_db()
    assert topic.is_locked
    locked_page = client.get(topic_url(topic)).content.decode()
    assert "fr-alert" in locked_page  # machina's success message, in the DSFR layout
    assert moderation_url("topic_unlock", topic) in locked_page
    assert client.get(moderation_url("topic_delete", topic)).status_code == 200
    assert (
        client.post(moderation_url("topic_delete", topic), {"reason": "Doublon"}).status_code == 302
    )
    assert not Topic.objects.filter(pk=topic.pk).exists()


def test_an_ordinary_member_cannot_moderate(client, forum):
    author = UserFactory()
    topic = make_topic(forum, author)
    client.force_login(UserFactory())
    page = client.get(topic_url(topic)).content.decode()
    assert moderation_url("topic_lock", topic) not in page
    assert moderation_url("topic_delete", topic) not in page
    for name in ["topic_lock", "topic_delete"]:
        assert client.get(moderation_url(name, topic)).status_code == 403
        assert client.post(moderation_url(name, topic)).status_code == 403
    topic.refresh_from_db()
    assert not topic.is_locked
    # Not even their own topic.
    client.force_login(author)
    assert client.post(moderation_url("topic_lock", topic)).status_code == 403


def test_members_cannot_reply_to_a_locked_topic(client, forum):
    topic = make_topic(forum, UserFactory())
    topic.status = Topic.TOPIC_LOCKED
    topic.save()
    client.force_login(UserFactory())
    url = reverse(
        "forum_conversation:post_create",
        kwargs={
            "forum_slug": forum.slug,
            "forum_pk": forum.pk,
            "topic_slug": topic.slug,
            "topic_pk": topic.pk,
        },
    )
    assert client.get(url).status_code == 403


def count_topic_page_queries(client, topic):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(topic_url(topic))
    assert response.status_code == 200
    return len(queries)


def test_topic_page_queries_do_not_grow_with_posts(client, forum):
    # The same number of queries for 10, 20 or 50 posts (20 posts per page), each post of the
    # last two topics by a different member of a different organisation, so that per-poster
    # lookups (name, organisation, profile) would show.
    poster = UserFactory()
    topics = [make_topic(forum, poster, replies=9, subject="10 messages")]
    for count in (20, 50):
        topic = make_topic(forum, poster, subject=f"{count} messages")
        for number in range(count - 1):
            author = UserFactory(organization=OrganizationFactory())
            answer(topic, author, content=f"Réponse {number} de {author.last_name}")
        topic.refresh_from_db()
        topics.append(topic)
    client.force_login(UserFactory())
    for topic in topics:  # warm per-process caches and read tracking
        count_topic_page_queries(client, topic)
    counts = [count_topic_page_queries(client, topic) for topic in topics]
    assert counts[0] == counts[1] == counts[2], counts


def test_messages_are_rendered_safely(client, forum):
    topic = make_topic(forum, UserFactory())
    post = topic.first_post
    post.content = "**Important** <script>alert(1)</script> [lien](javascript:alert(1))"
    post.save()
    client.force_login(UserFactory())
    html = client.get(topic_url(topic)).content.decode()
    assert "<strong>Important</strong>" in html
    assert "<script>alert(1)" not in html
    assert "javascript:alert" not in html


def test_moderation_pages_answer_and_rejecting_deletes_the_message(client, forum):
    topic = make_topic(forum, UserFactory(), approved=False, subject="Question en attente")
    post = topic.first_post
    client.force_login(UserFactory(role=Role.NATIONAL_ADMIN))
    for name in ["queued_post", "approve_queued_post", "disapprove_queued_post"]:
        response = client.get(reverse(f"forum_moderation:{name}", kwargs={"pk": post.pk}))
        assert response.status_code == 200, name
        assert "Question en attente" in response.content.decode() or name != "queued_post"
    response = client.post(
        reverse("forum_moderation:disapprove_queued_post", kwargs={"pk": post.pk}),
        {"reason": "Message publicitaire"},
    )
    assert response.status_code == 302
    assert not Post.objects.filter(pk=post.pk).exists()


def test_the_header_links_to_the_forum_for_logged_in_users_only(client):
    assert reverse("forum:index") not in client.get(reverse("login")).content.decode()
    user = UserFactory()
    client.force_login(user)
    assert f'href="{reverse("forum:index")}"' in client.get(reverse("account")).content.decode()
    own_posts = client.get(reverse("forum_member:user_posts", kwargs={"pk": user.pk}))
    assert own_posts.status_code == 200


def test_moderation_queue_queries_do_not_grow_with_posts(client, forum):
    place = department("93")
    client.force_login(local_admin(place))
    url = reverse("forum_moderation:queue")

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for number in range(3):
        make_topic(forum, person(place), approved=False, subject=f"Question {number}")
    small = count()
    for number in range(3, 12):
        make_topic(forum, person(place), approved=False, subject=f"Question {number}")
        make_topic(forum, person(department("69")), approved=False, subject=f"Ailleurs {number}")
    assert count() == small
    html = client.get(url).content.decode()
    assert "Question 11" in html and "Ailleurs" not in html
