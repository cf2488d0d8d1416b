from machina.apps.forum_conversation.apps import ForumConversationAppConfig as BaseAppConfig


class ForumConversationAppConfig(BaseAppConfig):
    """machina's forum_conversation, overridden to hold the platform's forum commands."""

    default = True
    name = "forum.forum_conversation"

    def ready(self):
        super().ready()
        from forum.forum_conversation import receivers  # noqa: F401
