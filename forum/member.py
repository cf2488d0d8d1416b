"""machina's member pages, reviewed: a post or a topic awaiting moderation is listed to its author
only (moderators work from the moderation queue), and nobody follows a topic they cannot read.

Mounted before machina's own URLs (`forum/urls.py`), on the same paths: `reverse()` of machina's
URL names gives these views.
"""

from django.http import Http404
from machina.apps.forum_member import views as machina_views
from machina.core.db.models import get_model

from forum import perms

Topic = get_model("forum_conversation", "Topic")


class UserPostsView(machina_views.UserPostsView):
    def get_queryset(self):
        return super().get_queryset().filter(perms.visible_q(self.request.user))


class TopicSubscriptionListView(machina_views.TopicSubscriptionListView):
    def get_queryset(self):
        return super().get_queryset().filter(perms.visible_q(self.request.user))


class _VisibleTopicMixin:
    def get_queryset(self):
        return Topic.objects.filter(perms.visible_q(self.request.user))


class TopicSubscribeView(_VisibleTopicMixin, machina_views.TopicSubscribeView):
    pass


class TopicUnsubscribeView(_VisibleTopicMixin, machina_views.TopicUnsubscribeView):
    pass


def not_offered(request, *args, **kwargs):
    """machina features the platform does not offer (profile signatures and avatars, polls)."""
    raise Http404
