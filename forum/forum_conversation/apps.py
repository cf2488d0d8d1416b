from machina.apps.forum_conversation.apps import ForumConversationAppConfig as BaseAppConfig


class ForumConversationAppConfig(BaseAppConfig):
    """machina's forum_conversation, overridden: questions (themes, solved state), theme
    subscriptions, attachments checked by content, notifications (receivers.py)."""

    default = True
    name = "forum.forum_conversation"

    def ready(self):
        super().ready()
        from forum.forum_conversation import receivers  # noqa: F401
