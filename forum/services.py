"""The forum's own writes beyond machina's: a question solved by one of its answers, opened
again, a theme followed; and every moderation decision (lock, unlock, move, type, delete a
question; approve, reject, edit, delete a message). Views parse, check and call these; each
runs in one transaction.

Moderation decisions are written to the audit log (Wagtail's `log`, actions registered with
their French labels in `forum.forum_moderation.wagtail_hooks`), naming the moderator, the
question or message and the reason. Each decision locks the row it changes first, then reads it
again and checks that the decision is still to be taken: two moderators deciding at once act
(and tell the author) once; the slower one gets `Stale` or `Gone`, whose French message says
what the other one did (docs/concurrency.md).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from machina.core.db.models import get_model
from wagtail.log_actions import log

from forum import notifications
from forum.forum_conversation.signals import send_topic_changed

Post = get_model("forum_conversation", "Post")
Topic = get_model("forum_conversation", "Topic")
ThemeSubscription = get_model("forum_conversation", "ThemeSubscription")

ACTION_LOCK = "forum.topic.lock"
ACTION_UNLOCK = "forum.topic.unlock"
ACTION_MOVE = "forum.topic.move"
ACTION_TYPE = "forum.topic.type"
ACTION_DELETE_TOPIC = "forum.topic.delete"
ACTION_APPROVE = "forum.post.approve"
ACTION_REJECT = "forum.post.reject"
ACTION_EDIT_POST = "forum.post.edit"
ACTION_DELETE_POST = "forum.post.delete"


class Stale(Exception):  # noqa: N818 - a refusal, not a fault
    """The decision no longer applies: another moderator took one meanwhile. The message
    (French, for the user) says which; nothing was written. `topic`: the question as it is
    now, when it still exists."""

    def __init__(self, message, *, topic=None):
        super().__init__(message)
        self.topic = topic


class Gone(Stale):
    """The question or message was deleted meanwhile."""


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


# --- Moderation ---------------------------------------------------------------------------------


def _locked_topic(topic, *, gone: str):
    """The topic, its row locked and read again; `Gone(gone)` when it was deleted meanwhile.
    No join: PostgreSQL would drop a row whose joined forum changed while it waited for the
    lock (a move)."""
    locked = Topic.objects.select_for_update().filter(pk=topic.pk).first()
    if locked is None:
        raise Gone(gone)
    return locked


def _locked_post(post, *, gone: str):
    """The post, its row locked and read again (`Gone(gone)`: deleted meanwhile); no join."""
    locked = Post.objects.select_for_update().filter(pk=post.pk).first()
    if locked is None:
        raise Gone(gone)
    return locked


def _reason(reason: str) -> dict:
    return {"reason": reason} if reason else {}


@transaction.atomic
def lock_topic(*, topic, by, reason: str):
    """Lock the question; its author is told why. Stale when another moderator locked it."""
    topic = _locked_topic(topic, gone=_("This question was deleted by another moderator."))
    if topic.status == Topic.TOPIC_LOCKED:
        raise Stale(_("This question was already locked by another moderator."), topic=topic)
    topic.status = Topic.TOPIC_LOCKED
    topic.save()
    log(instance=topic, action=ACTION_LOCK, user=by, data=_reason(reason))
    notifications.notify_moderation(
        author=topic.poster,
        actor=by,
        action=_("locked your question"),
        subject=topic.subject,
        reason=reason,
        url=notifications.topic_path(topic),
    )
    return topic


@transaction.atomic
def unlock_topic(*, topic, by) -> bool:
    """Unlock the question; False when it was not locked (nothing written)."""
    topic = _locked_topic(topic, gone=_("This question was deleted by another moderator."))
    if not topic.is_locked:
        return False
    topic.status = Topic.TOPIC_UNLOCKED
    topic.save()
    log(instance=topic, action=ACTION_UNLOCK, user=by)
    return True


@transaction.atomic
def move_topic(*, topic, forum, by, reason: str, lock: bool = False):
    """Move the question to the theme `forum` (and lock it, with `lock`); its author is told
    why. A move to another theme saved meanwhile is not undone: Stale, with the question where
    it is now."""
    locked = _locked_topic(topic, gone=_("This question was deleted by another moderator."))
    if locked.forum_id != topic.forum_id:
        raise Stale(
            _("This question was moved to the theme %(forum)s by another moderator.")
            % {"forum": locked.forum.name},
            topic=locked,
        )
    origin = locked.forum.name
    locked.forum = forum
    locked.status = Topic.TOPIC_LOCKED if lock else Topic.TOPIC_MOVED
    locked.save()  # machina's save keeps both themes' counters right
    log(
        instance=locked,
        action=ACTION_MOVE,
        user=by,
        data={"from": origin, "to": forum.name, "locked": lock, **_reason(reason)},
    )
    notifications.notify_moderation(
        author=locked.poster,
        actor=by,
        action=_("moved your question to the theme %(forum)s") % {"forum": forum.name},
        subject=locked.subject,
        reason=reason,
        url=notifications.topic_path(locked),
    )
    return locked


@transaction.atomic
def set_topic_type(*, topic, by, topic_type: int) -> bool:
    """Make the question a normal one, a sticky one or an announce; False when it already was."""
    topic = _locked_topic(topic, gone=_("This question was deleted by another moderator."))
    if topic.type == topic_type:
        return False
    topic.type = topic_type
    topic.save()
    log(instance=topic, action=ACTION_TYPE, user=by, data={"type": topic_type})
    return True


@transaction.atomic
def delete_topic(*, topic, by, reason: str) -> None:
    """Delete the question and its answers; its author is told why. Gone when another
    moderator deleted it first (logged and told once)."""
    topic = _locked_topic(topic, gone=_("This question was already deleted by another moderator."))
    author, subject = topic.poster, topic.subject
    log(instance=topic, action=ACTION_DELETE_TOPIC, user=by, data=_reason(reason))
    topic.delete()
    notifications.notify_moderation(
        author=author,
        actor=by,
        action=_("deleted your question"),
        subject=subject,
        reason=reason,
    )


@transaction.atomic
def approve_post(*, post, by):
    """Publish a message of the moderation queue (announced to the question's followers)."""
    post = _locked_post(post, gone=_("This message was rejected by another moderator."))
    if post.approved:
        raise Stale(_("This message was already approved by another moderator."))
    post.approved = True
    post.save()
    log(instance=post, action=ACTION_APPROVE, user=by)
    return post


@transaction.atomic
def reject_post(*, post, by, reason: str) -> None:
    """Delete a message of the moderation queue; its author is told why."""
    post = _locked_post(post, gone=_("This message was already rejected by another moderator."))
    if post.approved:
        raise Stale(_("This message was approved by another moderator meanwhile."))
    author, subject = post.poster, post.subject
    log(instance=post, action=ACTION_REJECT, user=by, data=_reason(reason))
    post.delete()
    notifications.notify_moderation(
        author=author,
        actor=by,
        action=_("rejected your message"),
        subject=subject,
        reason=reason,
    )


def _moderates(post, by) -> bool:
    """Whether `by` acts on someone else's message (a moderator), not on their own."""
    return post.poster_id != by.pk


@transaction.atomic
def delete_post(*, post, by, reason: str = "") -> None:
    """Delete a message (and its question when it is the question's only message). A moderator
    deleting someone else's message gives a reason, told to its author."""
    moderated = _moderates(post, by)
    author, subject = post.poster, post.subject
    url = "" if post.is_topic_head else notifications.topic_path(post.topic)
    log(
        instance=post,
        action=ACTION_DELETE_POST,
        user=by,
        data={"topic": post.topic_id, **_reason(reason)},
    )
    post.delete()
    if moderated:
        notifications.notify_moderation(
            author=author,
            actor=by,
            action=_("deleted your message"),
            subject=subject,
            reason=reason,
            url=url,
        )


def record_post_edit(*, post, by) -> None:
    """Write a moderator's edit of someone else's message to the audit log (the message itself
    is saved by machina's model form, in the caller's transaction). An author's own edits are
    not moderation: machina keeps their count and date on the message."""
    if _moderates(post, by):
        log(instance=post, action=ACTION_EDIT_POST, user=by, data={"topic": post.topic_id})
