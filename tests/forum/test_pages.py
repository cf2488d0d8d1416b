"""Every machina page a user can reach renders in the platform's layout, in French; machina's
own search is replaced by the platform's."""

import pytest
from django.urls import reverse

from directory.enums import Role
from tests.directory.factories import UserFactory
from tests.forum.utils import answer, make_topic

pytestmark = pytest.mark.django_db

# Markup of machina's Bootstrap templates: none may remain on a page of ours.
MACHINA_MARKERS = [
    'class="card',
    "btn btn-",
    " col-md-",
    '"col-md-',
    'class="row',
    "fa fa-",
    "{% trans",
]


@pytest.fixture
def board(forum):
    author = UserFactory()
    topic = make_topic(forum, author, subject="Accès à l’eau potable")
    reply = answer(topic, UserFactory(), content="Voir la mairie")
    queued = make_topic(forum, UserFactory(), approved=False, subject="En attente").first_post
    return {"forum": forum, "topic": topic, "reply": reply, "queued": queued, "author": author}


def page_urls(board):
    forum, topic, reply, queued = board["forum"], board["topic"], board["reply"], board["queued"]
    conversation = {"forum_slug": forum.slug, "forum_pk": forum.pk}
    in_topic = {**conversation, "topic_slug": topic.slug, "topic_pk": topic.pk}
    on_topic = {"slug": topic.slug, "pk": topic.pk}
    return [
        reverse("forum:index"),
        reverse("forum:forum", kwargs={"slug": forum.slug, "pk": forum.pk}),
        reverse("forum_conversation:topic", kwargs={**conversation, **on_topic}),
        reverse("forum_conversation:topic_create", kwargs=conversation),
        reverse("forum_conversation:topic_update", kwargs={**conversation, **on_topic}),
        reverse("forum_conversation:post_create", kwargs=in_topic),
        reverse("forum_conversation:post_update", kwargs={**in_topic, "pk": reply.pk}),
        reverse("forum_conversation:post_delete", kwargs={**in_topic, "pk": reply.pk}),
        reverse("forum_member:profile", kwargs={"pk": board["author"].pk}),
        reverse("forum_member:user_posts", kwargs={"pk": board["author"].pk}),
        reverse("forum_member:user_subscriptions"),
        reverse("forum_member:topic_subscribe", kwargs={"pk": topic.pk}),
        reverse("forum_tracking:mark_all_forums_read"),
        reverse("forum_tracking:mark_topics_read", kwargs={"pk": forum.pk}),
        reverse("forum_tracking:unread_topics"),
        reverse("forum_moderation:queue"),
        reverse("forum_moderation:queued_post", kwargs={"pk": queued.pk}),
        reverse("forum_moderation:approve_queued_post", kwargs={"pk": queued.pk}),
        reverse("forum_moderation:disapprove_queued_post", kwargs={"pk": queued.pk}),
        reverse("forum_moderation:topic_lock", kwargs=on_topic),
        reverse("forum_moderation:topic_unlock", kwargs=on_topic),
        reverse("forum_moderation:topic_move", kwargs=on_topic),
        reverse("forum_moderation:topic_delete", kwargs=on_topic),
        reverse("forum_moderation:topic_update_to_sticky", kwargs=on_topic),
        reverse("forum_moderation:topic_update_to_announce", kwargs=on_topic),
        reverse("forum_moderation:topic_update_to_post", kwargs=on_topic),
    ]


def test_every_page_renders_in_the_platform_layout(client, board):
    client.force_login(UserFactory(role=Role.NATIONAL_ADMIN))
    for url in page_urls(board):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'lang="fr"' in html and "fr-header" in html and "fr-footer" in html, url
        assert "fr-breadcrumb" in html, url
        assert "<h1" in html, url
        for marker in MACHINA_MARKERS:
            assert marker not in html, (url, marker)


def test_the_topic_unsubscribe_page_renders_too(client, board):
    user = UserFactory()
    board["topic"].subscribers.add(user)
    client.force_login(user)
    response = client.get(
        reverse("forum_member:topic_unsubscribe", kwargs={"pk": board["topic"].pk})
    )
    assert response.status_code == 200
    assert "fr-btn" in response.content.decode()


def test_machinas_search_sends_to_the_platform_search(client, board):
    client.force_login(UserFactory())
    response = client.get(reverse("forum_search:search") + "?q=eau+potable&search_poster_name=x")
    assert response.status_code == 302
    assert response.url == "/recherche/?q=eau+potable&type=forum"
    assert client.get(reverse("forum_search:search")).url == "/recherche/?q=&type=forum"
    index = client.get(reverse("forum:index")).content.decode()
    assert 'action="/recherche/"' in index and 'name="type" value="forum"' in index


def test_the_feeds_need_an_account(client, board):
    assert client.get("/entraide/feeds/topics/").status_code == 302
    client.force_login(UserFactory())
    response = client.get("/entraide/feeds/topics/")
    assert response.status_code == 200
    assert "Accès à l’eau potable" in response.content.decode()
    assert "En attente" not in response.content.decode()
