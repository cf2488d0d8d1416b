from machina.apps.forum_conversation.forum_attachments.apps import (
    ForumAttachmentsAppConfig as BaseAppConfig,
)


class ForumAttachmentsAppConfig(BaseAppConfig):
    """machina's forum_attachments, overridden: files in the private storage under random names,
    served only by the view that checks the reader (views.py)."""

    default = True
    name = "forum.forum_conversation.forum_attachments"
