"""The forum's own writes beyond machina's: a question solved by one of its answers, opened
again, a theme followed. Views parse, check and call these; each runs in one transaction."""

from django.db import transaction
from django.utils import timezone
from machina.core.db.models import get_model

from forum import notifications
from forum.forum_conversation.signals import send_topic_changed

Post = get_model("forum_conversation", "Post")
Topic = get_model("forum_conversation", "Topic")
ThemeSubscription = get_model("forum_conversation", "ThemeSubscription")


def solving_answer(topic, post_pk):
    """The approved answer `post_pk` of `topic` (not the question itself), or None."""
    return (
        Post.objects.filter(pk=post_pk, topic=topic, approved=True)
        .exclude(pk=topic.first_post_id)
        .select_related("poster")
        .first()
    )


@transaction.atomic
def solve_topic(topic, post, by) -> bool:
    """Mark `topic` solved by its answer `post`; False when it already was by that answer.

    Under the topic's lock: two people marking the same answer at once solve the question once,
    and its followers are told once."""
    locked = Topic.objects.select_for_update(of=("self",)).get(pk=topic.pk)
    if locked.solved_post_id == post.pk:
        return False
    topic.solved_post, topic.solved_at, topic.solved_by = post, timezone.now(), by
    Topic.objects.filter(pk=topic.pk).update(
        solved_post=post, solved_at=topic.solved_at, solved_by=by
    )
    send_topic_changed(topic)  # .update() sends no signal: the search document follows here
    notifications.notify_solved(topic, by)
    return True


@transaction.atomic
def unsolve_topic(topic) -> bool:
    """Open `topic` again; False when it was not solved."""
    locked = Topic.objects.select_for_update(of=("self",)).get(pk=topic.pk)
    if locked.solved_post_id is None:
        return False
    topic.solved_post = topic.solved_at = topic.solved_by = None
    Topic.objects.filter(pk=topic.pk).update(solved_post=None, solved_at=None, solved_by=None)
    send_topic_changed(topic)
    return True


def follow_theme(user, forum) -> None:
    ThemeSubscription.objects.get_or_create(user=user, forum=forum)


def unfollow_theme(user, forum) -> None:
    ThemeSubscription.objects.filter(user=user, forum=forum).delete()
