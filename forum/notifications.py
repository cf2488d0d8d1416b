"""Who hears of what in the forum (recipient rules), and the emails sent for it.

- The author of a topic and everyone who answers are subscribed to the topic.
- A new approved answer is emailed to the topic's subscribers who may still read the forum
  (active members who accepted the charter), never to its own author.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from cms.tasks import send_email
from forum import perms as forum_perms


def subscribe_author(post) -> None:
    if post.poster_id and post.approved:
        post.topic.subscribers.add(post.poster_id)


def reply_recipients(post) -> list:
    """Subscribers of the post's topic to tell about this new answer."""
    if not post.approved or post.is_topic_head:
        return []
    subscribers = post.topic.subscribers.exclude(pk=post.poster_id).order_by("pk")
    return [user for user in subscribers if forum_perms.is_forum_member(user)]


def topic_url(topic) -> str:
    path = reverse(
        "forum_conversation:topic",
        kwargs={
            "forum_slug": topic.forum.slug,
            "forum_pk": topic.forum_id,
            "slug": topic.slug,
            "pk": topic.pk,
        },
    )
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def notify_reply(post) -> int:
    """Queue one email per recipient; returns how many were queued."""
    recipients = reply_recipients(post)
    if not recipients:
        return 0
    context = {
        "post": post,
        "topic": post.topic,
        "author": post.poster.get_full_name() if post.poster else "",
        "url": topic_url(post.topic),
        "platform_name": settings.PLATFORM_NAME,
    }
    subject = render_to_string("forum/emails/new_reply_subject.txt", context).strip()
    body = render_to_string("forum/emails/new_reply.txt", context)
    for user in recipients:
        send_email.enqueue(subject=subject, body=body, to=[user.email])
    return len(recipients)
