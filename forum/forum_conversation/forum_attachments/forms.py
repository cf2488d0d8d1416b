# machina looks these up as "forum_attachments.forms" in the overriding app.
from machina.apps.forum_conversation.forum_attachments.forms import *  # noqa: F403
