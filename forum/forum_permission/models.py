# Overridden models would be declared here, before importing machina's ones.
from machina.apps.forum_permission.models import *  # noqa: F403
