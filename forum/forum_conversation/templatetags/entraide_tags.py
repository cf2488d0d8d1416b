"""Template helpers of "Entraide": theme follow state and batched lookups that keep the number of
queries of machina's pages constant (machina's views are not all overridable: the `forum` app's
label is taken, see forum/__init__.py)."""

from django import template
from django.db.models import prefetch_related_objects
from machina.core.db.models import get_model

register = template.Library()


@register.simple_tag
def follows_theme(forum, user) -> bool:
    ThemeSubscription = get_model("forum_conversation", "ThemeSubscription")  # noqa: N806
    if not getattr(user, "is_authenticated", False):
        return False
    return ThemeSubscription.objects.filter(forum=forum, user=user).exists()


@register.simple_tag
def prefetch_last_post_topics(forum_contents) -> str:
    """Load the topics of the forums' last posts in one query (the index shows their titles)."""
    forums = [node.obj for node in forum_contents.nodes if node.obj.last_post_id]
    prefetch_related_objects(forums, "last_post__topic")
    return ""


@register.simple_tag
def prefetch_topic_forums(topics) -> str:
    """Load the forums of a list of topics in one query (their URLs need the forum's slug)."""
    topics = [topic for topic in topics if topic is not None]
    prefetch_related_objects(topics, "forum")
    return ""


def unread_forums(user, contents) -> set:
    """machina's `ForumReadTrack.objects.get_unread_forums_from_list`, in one query: machina
    loads the ancestors of each unread forum one by one; the visibility tree already has them."""
    if not getattr(user, "is_authenticated", False) or not contents.nodes:
        return set()
    ForumReadTrack = get_model("forum_tracking", "ForumReadTrack")  # noqa: N806
    tracks = dict(
        ForumReadTrack.objects.filter(user=user, forum__in=contents.forums).values_list(
            "forum_id", "mark_time"
        )
    )
    unread = set()
    for node in contents.nodes:
        forum = node.obj
        if forum.pk in tracks:
            is_unread = bool(node.last_post_on and tracks[forum.pk] < node.last_post_on)
        else:
            is_unread = forum.direct_topics_count > 0
        while is_unread and node is not None:
            unread.add(node.obj)
            node = node.parent
    return unread


@register.inclusion_tag("forum/forum_list.html", takes_context=True)
def entraide_forum_list(context, forum_contents):
    """machina's `forum_list` tag with a constant number of queries (see `unread_forums`)."""
    request = context.get("request")
    data = {
        "forum_contents": forum_contents,
        "unread_forums": unread_forums(request.user, forum_contents),
        "user": request.user,
        "request": request,
    }
    root_level = forum_contents.root_level
    if root_level is not None:
        data.update(
            root_level=root_level, root_level_middle=root_level + 1, root_level_sub=root_level + 2
        )
    return data


#: How many open questions the forum's index suggests from the reader's interest topics.
SUGGESTIONS = 5


@register.simple_tag
def suggested_questions(user) -> list:
    """Open (approved, unsolved) questions tagged with one of the topics that interest the reader
    (« Mon compte »), most recently active first, not their own. No query without such topics."""
    topics = list(getattr(user, "interest_topics", None) or [])
    if not getattr(user, "is_authenticated", False) or not topics:
        return []
    Topic = get_model("forum_conversation", "Topic")  # noqa: N806
    return list(
        Topic.objects.filter(approved=True, solved_post__isnull=True, tags__overlap=topics)
        .exclude(poster_id=user.pk)
        .select_related("forum")
        .order_by("-last_post_on", "-pk")[:SUGGESTIONS]
    )
