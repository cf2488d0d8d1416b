"""Every URL of the forum comes from a view someone reviewed, or answers 404: the list is built from
the URLconf itself, so a machina upgrade that adds a view fails here until it is reviewed. Posts
and topics awaiting moderation are never listed to other members."""

import pytest
from django.urls import get_resolver, resolve, reverse
from django.urls.resolvers import URLResolver

from tests.directory.factories import UserFactory
from tests.forum.utils import (
    answer,
    department,
    forum_url,
    local_admin,
    make_topic,
    person,
    topic_url,
)

pytestmark = pytest.mark.django_db

#: Views serving forum URLs, each reviewed: what it lists or changes follows `forum.perms` (the
#: test below or the named test module checks it).
REVIEWED = {
    # machina's, unchanged: approved topics only (ForumView, IndexView, feeds of trackers...)
    "machina.apps.forum.views.IndexView": "test_pages.py",
    "machina.apps.forum.views.ForumView": "here",
    "machina.apps.forum_member.views.ForumProfileDetailView": "here (approved posts only)",
    "machina.apps.forum_feeds.feeds.LastTopicsFeed": "test_pages.py (approved topics only)",
    "machina.apps.forum_tracking.views.MarkForumsReadView": "marks read what the user reads",
    "machina.apps.forum_tracking.views.MarkTopicsReadView": "can_read_forum",
    "machina.apps.forum_tracking.views.UnreadTopicsView": "here (approved topics only)",
    # the platform's versions
    "forum.forum_conversation.views.SearchRedirectView": "redirects to /recherche/",
    "forum.forum_conversation.views.TopicView": "here",
    "forum.forum_conversation.views.TopicCreateView": "test_questions.py",
    "forum.forum_conversation.views.TopicUpdateView": "test_questions.py",
    "forum.forum_conversation.views.PostCreateView": "here",
    "forum.forum_conversation.views.PostUpdateView": "test_moderation.py",
    "forum.forum_conversation.views.PostDeleteView": "test_moderation.py",
    "forum.forum_conversation.views.TopicSolveView": "test_questions.py",
    "forum.forum_conversation.views.ThemeFollowView": "test_subscriptions.py",
    "forum.forum_conversation.forum_attachments.views.AttachmentView": (
        "test_private_attachments.py"
    ),
    "forum.member.UserPostsView": "here",
    "forum.member.TopicSubscriptionListView": "here",
    "forum.member.TopicSubscribeView": "here",
    "forum.member.TopicUnsubscribeView": "here",
    **{
        f"forum.forum_moderation.views.{name}": "test_moderation.py"
        for name in (
            "TopicLockView",
            "TopicUnlockView",
            "TopicDeleteView",
            "TopicMoveView",
            "TopicUpdateToNormalTopicView",
            "TopicUpdateToStickyTopicView",
            "TopicUpdateToAnnounceView",
            "ModerationQueueListView",
            "ModerationQueueDetailView",
            "PostApproveView",
            "PostDisapproveView",
        )
    },
}


def _arguments(pattern) -> set[str]:
    return set(pattern.pattern.regex.groupindex)


def _walk(patterns, namespace="", arguments=frozenset()):
    """(URL name with its namespace, the names of its arguments) below `patterns`."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner, arguments | _arguments(pattern))
        elif pattern.name:
            yield f"{namespace}{pattern.name}", arguments | _arguments(pattern)


def _forum_patterns():
    """{URL name with its namespace: argument names} of every named URL under /entraide/."""
    return {
        name: arguments
        for top in get_resolver().url_patterns
        if isinstance(top, URLResolver) and str(top.pattern) == "entraide/"
        for name, arguments in _walk(top.url_patterns)
    }


SAMPLE = {"pk": 1, "forum_pk": 1, "topic_pk": 1, "slug": "x", "forum_slug": "x", "topic_slug": "x"}


def _view_path(url) -> str:
    func = resolve(url).func
    view = getattr(func, "view_class", func)
    return f"{view.__module__}.{getattr(view, '__qualname__', type(view).__qualname__)}"


def test_every_machina_url_is_reviewed_or_answers_404(client):
    client.force_login(UserFactory())
    patterns = _forum_patterns()
    assert len(patterns) > 30  # the walk did find machina's URLs
    unreviewed = []
    for name, arguments in sorted(patterns.items()):
        kwargs = {key: SAMPLE[key] for key in arguments}
        url = reverse(name, kwargs=kwargs)
        view = _view_path(url)
        if view in REVIEWED:
            continue
        response = client.get(url)
        if response.status_code != 404:
            unreviewed.append((name, url, view, response.status_code))
    assert unreviewed == []


def test_machina_features_not_offered_answer_404(client):
    client.force_login(UserFactory())
    for url in (
        reverse("forum_member:profile_update"),
        reverse("forum_conversation:topic_poll_vote", kwargs={"pk": 1}),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url


@pytest.fixture
def pending(forum):
    here = department("69")
    author = person(here)
    question = make_topic(forum, author, subject="Question en attente", approved=False)
    public = make_topic(forum, UserFactory(), subject="Question publique")
    reply = answer(public, author, approved=False, content="Réponse en attente de modération")
    return {"here": here, "author": author, "question": question, "public": public, "reply": reply}


def _pages(client, pending):
    author = pending["author"]
    return {
        "posts": client.get(reverse("forum_member:user_posts", args=[author.pk])),
        "profile": client.get(reverse("forum_member:profile", args=[author.pk])),
        "forum": client.get(forum_url(pending["question"].forum)),
        "unread": client.get(reverse("forum_tracking:unread_topics")),
        "public topic": client.get(topic_url(pending["public"])),
    }


def test_posts_awaiting_moderation_are_not_listed_to_other_members(client, pending):
    client.force_login(person(pending["here"]))
    for page, response in _pages(client, pending).items():
        assert response.status_code == 200, page
        html = response.content.decode()
        assert "Question en attente" not in html, page
        assert "Réponse en attente de modération" not in html, page
    assert client.get(topic_url(pending["question"])).status_code == 404
    question = pending["question"]
    subscribe = reverse("forum_member:topic_subscribe", args=[question.pk])
    assert client.post(subscribe).status_code == 404
    assert not question.subscribers.exists()
    answer_url = reverse(
        "forum_conversation:post_create",
        kwargs={
            "forum_slug": question.forum.slug,
            "forum_pk": question.forum.pk,
            "topic_slug": question.slug,
            "topic_pk": question.pk,
        },
    )
    assert client.get(answer_url).status_code == 404


def test_their_author_and_moderators_still_see_them(client, pending):
    client.force_login(pending["author"])
    posts = client.get(reverse("forum_member:user_posts", args=[pending["author"].pk]))
    assert "Réponse en attente de modération" in posts.content.decode()
    assert client.get(topic_url(pending["question"])).status_code == 200
    client.force_login(local_admin(pending["here"]))
    assert client.get(topic_url(pending["question"])).status_code == 200
    queue = client.get(reverse("forum_moderation:queue")).content.decode()
    assert "Question en attente" in queue


def test_a_subscribed_topic_awaiting_moderation_leaves_the_subscription_list(client, pending):
    reader = person(pending["here"])
    pending["question"].subscribers.add(reader)  # e.g. subscribed before it was queued again
    client.force_login(reader)
    html = client.get(reverse("forum_member:user_subscriptions")).content.decode()
    assert "Question en attente" not in html
