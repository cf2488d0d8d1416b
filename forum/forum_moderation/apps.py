from machina.apps.forum_moderation.apps import ForumModerationAppConfig as BaseAppConfig


class ForumModerationAppConfig(BaseAppConfig):
    """machina's forum_moderation, overridden for a moderation queue with flat query counts."""

    default = True
    name = "forum.forum_moderation"
