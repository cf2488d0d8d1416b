from django.dispatch import receiver

from forum import notifications
from forum.forum_conversation.signals import post_published


@receiver(post_published)
def subscribe_and_notify(sender, post, **kwargs):
    """When a post becomes visible: subscribe its author; tell the theme's followers (a new
    question) or the topic's subscribers (an answer)."""
    notifications.subscribe_author(post)
    if post.is_topic_head:
        notifications.notify_new_question(post.topic)
    else:
        notifications.notify_reply(post)
