# machina looks this up as "forum_attachments.cache" in the overriding app.
from machina.apps.forum_conversation.forum_attachments.cache import *  # noqa: F403
