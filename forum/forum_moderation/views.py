from machina.apps.forum_moderation.views import (
    ModerationQueueListView as BaseModerationQueueListView,
)


class ModerationQueueListView(BaseModerationQueueListView):
    def get_queryset(self):
        return super().get_queryset().select_related("topic__forum", "topic__first_post", "poster")
