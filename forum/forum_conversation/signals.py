from django.dispatch import Signal

#: Sent with `post` when a post becomes visible to members (see `Post.save`).
post_published = Signal()

#: Sent with `topic` after a write that bypasses `save()` (`.update()`: solved, themes, demo
#: data), so that what is derived from the topic — its search document — is rebuilt.
topic_changed = Signal()


def send_topic_changed(topic) -> None:
    topic_changed.send(sender=type(topic), topic=topic)
