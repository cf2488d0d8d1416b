"""machina's moderation views with per-territory checks and reasons sent to the authors.

A moderator acts on a topic or post only when `forum.perms.can_moderate_user` covers its author;
locking, moving, deleting and rejecting require a reason, told to the author through
`forum.notifications.notify_moderation` (in-app notification and email).

The views parse, check and call `forum.services`, which takes each decision under the row's
lock, writes the audit log entry and tells the author: two moderators deciding at once act (and
tell the author) once, the slower one is told what the other one did (docs/concurrency.md).
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from machina.apps.forum_moderation.views import ModerationQueueDetailView as BaseQueueDetailView
from machina.apps.forum_moderation.views import (
    ModerationQueueListView as BaseModerationQueueListView,
)
from machina.apps.forum_moderation.views import PostApproveView as BasePostApproveView
from machina.apps.forum_moderation.views import PostDisapproveView as BasePostDisapproveView
from machina.apps.forum_moderation.views import TopicDeleteView as BaseTopicDeleteView
from machina.apps.forum_moderation.views import TopicLockView as BaseTopicLockView
from machina.apps.forum_moderation.views import TopicMoveView as BaseTopicMoveView
from machina.apps.forum_moderation.views import TopicUnlockView as BaseTopicUnlockView
from machina.apps.forum_moderation.views import TopicUpdateToAnnounceView as BaseToAnnounceView
from machina.apps.forum_moderation.views import TopicUpdateToNormalTopicView as BaseToNormalView
from machina.apps.forum_moderation.views import TopicUpdateToStickyTopicView as BaseToStickyView
from machina.core.db.models import get_model

from forum import notifications, services
from forum import perms as forum_perms
from forum.forum_moderation.forms import ModerationReasonForm, TopicMoveForm

Topic = get_model("forum_conversation", "Topic")
Post = get_model("forum_conversation", "Post")


def topic_path(topic):
    return notifications.topic_path(topic)


def _forum_url(forum):
    return reverse("forum:forum", kwargs={"slug": forum.slug, "pk": forum.pk})


class ReasonFormMixin:
    """A confirmation page whose POST needs a reason (re-rendered with errors otherwise)."""

    reason_form_class = ModerationReasonForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("reason_form", self.reason_form_class())
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.reason_form_class(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(reason_form=form))
        return self.moderate(form.cleaned_data["reason"])


class TopicLockView(ReasonFormMixin, BaseTopicLockView):
    def get_queryset(self):
        return Topic.objects.select_related("forum", "poster")

    def perform_permissions_check(self, user, obj, perms):
        return self.request.forum_permission_handler.can_lock_topic(self.get_object(), user)

    def moderate(self, reason):
        try:
            services.lock_topic(topic=self.object, by=self.request.user, reason=reason)
        except services.Gone as gone:
            messages.info(self.request, str(gone))
            return HttpResponseRedirect(_forum_url(self.object.forum))
        except services.Stale as stale:
            messages.info(self.request, str(stale))
            return HttpResponseRedirect(self.get_success_url())
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())


class TopicUnlockView(BaseTopicUnlockView):
    def get_queryset(self):
        return Topic.objects.select_related("forum", "poster")

    def perform_permissions_check(self, user, obj, perms):
        return self.request.forum_permission_handler.can_lock_topic(self.get_object(), user)

    def unlock(self, request, *args, **kwargs):
        self.object = self.get_object()
        try:
            services.unlock_topic(topic=self.object, by=request.user)
        except services.Gone as gone:
            messages.info(request, str(gone))
            return HttpResponseRedirect(_forum_url(self.object.forum))
        messages.success(request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())


class TopicDeleteView(ReasonFormMixin, BaseTopicDeleteView):
    def get_queryset(self):
        return Topic.objects.select_related("forum", "poster")

    def perform_permissions_check(self, user, obj, perms):
        return self.request.forum_permission_handler.can_delete_topic(self.get_object(), user)

    def moderate(self, reason):
        forum = self.object.forum
        try:
            services.delete_topic(topic=self.object, by=self.request.user, reason=reason)
        except services.Gone as gone:
            messages.info(self.request, str(gone))
            return HttpResponseRedirect(_forum_url(forum))
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(_forum_url(forum))


class TopicMoveView(BaseTopicMoveView):
    form_class = TopicMoveForm

    def get_queryset(self):
        return Topic.objects.select_related("forum", "poster")

    def perform_permissions_check(self, user, obj, perms):
        return self.request.forum_permission_handler.can_move_topic(self.get_object(), user)

    def form_valid(self, form):
        """Moved (and its author told) once; a move to another theme saved meanwhile is not
        undone (`services.move_topic`)."""
        try:
            self.object = services.move_topic(
                topic=self.object,
                forum=form.cleaned_data["forum"],
                lock=form.cleaned_data["lock_topic"],
                by=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.Gone as gone:
            messages.info(self.request, str(gone))
            return HttpResponseRedirect(_forum_url(self.object.forum))
        except services.Stale as stale:
            messages.info(self.request, str(stale))
            return HttpResponseRedirect(topic_path(stale.topic))
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())


class ModerationQueueListView(BaseModerationQueueListView):
    """Only the messages of authors the moderator's territory covers (`forum.perms`)."""

    def get_queryset(self):
        queryset = (
            super().get_queryset().select_related("topic__forum", "topic__first_post", "poster")
        )
        poster_ids = set(queryset.values_list("poster_id", flat=True).distinct())
        allowed = forum_perms.moderated_author_ids(self.request.user, poster_ids)
        return queryset.filter(poster_id__in=allowed)


class ModerationQueueDetailView(BaseQueueDetailView):
    def get_queryset(self):
        return Post.objects.select_related("topic__forum", "poster")

    def perform_permissions_check(self, user, obj, perms):
        return self.request.forum_permission_handler.can_approve_post(self.get_object(), user)


class PostApproveView(BasePostApproveView):
    def get_queryset(self):
        return Post.objects.select_related("topic__forum", "poster")

    def perform_permissions_check(self, user, obj, perms):
        return self.request.forum_permission_handler.can_approve_post(self.get_object(), user)

    def approve(self, request, *args, **kwargs):
        """Approved (and announced to the theme's followers) once (`services.approve_post`)."""
        self.object = self.get_object()
        success_url = self.get_success_url()
        try:
            services.approve_post(post=self.object, by=request.user)
        except services.Stale as stale:  # approved, or rejected (Gone), meanwhile
            messages.info(request, str(stale))
            return HttpResponseRedirect(success_url)
        messages.success(request, self.success_message)
        return HttpResponseRedirect(success_url)


class PostDisapproveView(ReasonFormMixin, BasePostDisapproveView):
    def get_queryset(self):
        return Post.objects.select_related("topic__forum", "poster")

    def perform_permissions_check(self, user, obj, perms):
        return self.request.forum_permission_handler.can_approve_post(self.get_object(), user)

    def moderate(self, reason):
        success_url = self.get_success_url()
        try:
            services.reject_post(post=self.object, by=self.request.user, reason=reason)
        except services.Stale as stale:  # rejected (Gone), or approved, meanwhile
            messages.info(self.request, str(stale))
            return HttpResponseRedirect(success_url)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(success_url)


class TerritoryTopicMixin:
    """machina's forum-level check, then the territory of the topic's author; the type is
    changed by `services.set_topic_type` (audit log entry)."""

    def get_queryset(self):
        return Topic.objects.select_related("forum", "poster")

    def perform_permissions_check(self, user, obj, perms):
        return super().perform_permissions_check(user, obj, perms) and (
            forum_perms.can_moderate_user(user, self.get_object().poster)
        )

    def update_type(self, request, *args, **kwargs):
        self.object = self.get_object()
        try:
            services.set_topic_type(topic=self.object, by=request.user, topic_type=self.target_type)
        except services.Gone as gone:
            messages.info(request, str(gone))
            return HttpResponseRedirect(_forum_url(self.object.forum))
        messages.success(request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())


class TopicUpdateToNormalTopicView(TerritoryTopicMixin, BaseToNormalView):
    pass


class TopicUpdateToStickyTopicView(TerritoryTopicMixin, BaseToStickyView):
    pass


class TopicUpdateToAnnounceView(TerritoryTopicMixin, BaseToAnnounceView):
    pass
