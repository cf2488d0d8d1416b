"""Who hears of what in the forum (recipient rules), told through `activity.services.notify`.

- The author of a question and everyone who answers are subscribed to the question (topic).
- A new approved answer is told to the question's subscribers (FORUM_ANSWER).
- A new approved question is told to the members who follow its theme (forum) (FORUM_NEW_QUESTION).
- Marking a question solved is told to the author of the accepted answer (FORUM_SOLVED).
- A moderation decision (lock, move, delete, rejection) is told to the author of the content,
  with the moderator's reason (MODERATION).

Only members who may still read the forum (active accounts; `forum.perms.is_forum_member`) are
told, never the person who acted (`notify` drops the actor too).
"""

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from machina.core.db.models import get_model

from core.notifications import NotificationKind, notify
from directory.enums import UserStatus
from directory.models import User

#: Users who may read the forum, as a filter (the same rule as `forum.perms.is_forum_member`).
MEMBER_Q = Q(is_active=True) & (Q(is_superuser=True) | Q(status=UserStatus.ACTIVE))


def subscribe_author(post) -> None:
    if post.poster_id and post.approved:
        post.topic.subscribers.add(post.poster_id)


def reply_recipients(post) -> list:
    """Subscribers of the post's topic to tell about this new answer."""
    if not post.approved or post.is_topic_head:
        return []
    return list(post.topic.subscribers.filter(MEMBER_Q).exclude(pk=post.poster_id).order_by("pk"))


def new_question_recipients(topic) -> list:
    """Members who follow the topic's theme (forum), when the question becomes visible."""
    if not topic.approved:
        return []
    ThemeSubscription = get_model("forum_conversation", "ThemeSubscription")  # noqa: N806
    followers = ThemeSubscription.objects.filter(forum_id=topic.forum_id).values("user_id")
    return list(
        User.objects.filter(MEMBER_Q, pk__in=followers).exclude(pk=topic.poster_id).order_by("pk")
    )


def solved_recipients(topic, actor) -> list:
    """The author of the accepted answer, unless they marked it themselves."""
    post = topic.solved_post
    if post is None or post.poster is None or post.poster_id == getattr(actor, "pk", None):
        return []
    return list(User.objects.filter(MEMBER_Q, pk=post.poster_id))


def topic_path(topic, post=None) -> str:
    path = reverse(
        "forum_conversation:topic",
        kwargs={
            "forum_slug": topic.forum.slug,
            "forum_pk": topic.forum_id,
            "slug": topic.slug,
            "pk": topic.pk,
        },
    )
    return f"{path}?post={post.pk}#{post.pk}" if post is not None else path


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def topic_url(topic, post=None) -> str:
    return absolute(topic_path(topic, post))


def _context(**kwargs) -> dict:
    return {"platform_name": settings.PLATFORM_NAME, **kwargs}


def notify_reply(post) -> int:
    recipients = reply_recipients(post)
    if not recipients:
        return 0
    topic = post.topic
    author = post.poster.get_full_name() if post.poster else ""
    context = _context(post=post, topic=topic, author=author, url=topic_url(topic, post))
    return notify(
        kind=NotificationKind.FORUM_ANSWER,
        recipients=recipients,
        actor=post.poster,
        verb=_("answered the question “%(subject)s”") % {"subject": topic.subject},
        target=topic,
        url=topic_path(topic, post),
        email_subject=render_to_string("forum/emails/new_reply_subject.txt", context).strip(),
        email_template="forum/emails/new_reply.txt",
        email_context=context,
    )


def notify_new_question(topic) -> int:
    recipients = new_question_recipients(topic)
    if not recipients:
        return 0
    author = topic.poster.get_full_name() if topic.poster else ""
    context = _context(topic=topic, forum=topic.forum, author=author, url=topic_url(topic))
    return notify(
        kind=NotificationKind.FORUM_NEW_QUESTION,
        recipients=recipients,
        actor=topic.poster,
        verb=_("asked the question “%(subject)s” in %(forum)s")
        % {"subject": topic.subject, "forum": topic.forum.name},
        target=topic,
        url=topic_path(topic),
        email_subject=render_to_string("forum/emails/new_question_subject.txt", context).strip(),
        email_template="forum/emails/new_question.txt",
        email_context=context,
    )


def notify_solved(topic, actor) -> int:
    recipients = solved_recipients(topic, actor)
    if not recipients:
        return 0
    context = _context(topic=topic, actor=actor.get_full_name(), url=topic_url(topic))
    return notify(
        kind=NotificationKind.FORUM_SOLVED,
        recipients=recipients,
        actor=actor,
        verb=_("accepted your answer to “%(subject)s”") % {"subject": topic.subject},
        target=topic,
        url=topic_path(topic, topic.solved_post),
        email_subject=render_to_string("forum/emails/solved_subject.txt", context).strip(),
        email_template="forum/emails/solved.txt",
        email_context=context,
    )


def notify_moderation(*, author, actor, action: str, subject: str, reason: str, url="") -> int:
    """Tell `author` that `actor` moderated their content, with the reason given. `action` is a
    translated verb phrase ("locked your question"), `subject` the title of the content."""
    if author is None or not author.is_active:
        return 0
    context = _context(
        action=action, subject=subject, reason=reason, url=absolute(url) if url else ""
    )
    return notify(
        kind=NotificationKind.MODERATION,
        recipients=[author],
        actor=actor,
        verb=_("%(action)s “%(subject)s”. Reason: %(reason)s")
        % {"action": action, "subject": subject, "reason": reason},
        url=url,
        email_subject=render_to_string("forum/emails/moderation_subject.txt", context).strip(),
        email_template="forum/emails/moderation.txt",
        email_context=context,
    )
