"""machina's moderation views with per-territory checks and reasons sent to the authors.

A moderator acts on a topic or post only when `forum.perms.can_moderate_user` covers its author;
locking, moving, deleting and rejecting require a reason, told to the author through
`forum.notifications.notify_moderation` (in-app notification and email).

Each decision locks the row it changes first, then reads it again and checks that the decision
is still to be taken: two moderators deciding at once act (and tell the author) once, the slower
one is told what the other one did (docs/concurrency.md).
"""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
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

from forum import notifications
from forum import perms as forum_perms
from forum.forum_moderation.forms import ModerationReasonForm, TopicMoveForm

Topic = get_model("forum_conversation", "Topic")
Post = get_model("forum_conversation", "Post")


def topic_path(topic):
    return notifications.topic_path(topic)


def lock_topic(pk):
    """The topic, its row locked and read again (None: deleted meanwhile). No join: PostgreSQL
    would drop a row whose joined forum changed while it waited for the lock (a move)."""
    return Topic.objects.select_for_update().filter(pk=pk).first()


def lock_post(pk):
    """The post, its row locked and read again (None: deleted meanwhile); no join either."""
    return Post.objects.select_for_update().filter(pk=pk).first()


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

    @transaction.atomic
    def moderate(self, reason):
        topic = lock_topic(self.object.pk)
        if topic is None:
            messages.info(self.request, _("This question was deleted by another moderator."))
            return HttpResponseRedirect(_forum_url(self.object.forum))
        if topic.status == Topic.TOPIC_LOCKED:
            messages.info(self.request, _("This question was already locked by another moderator."))
            return HttpResponseRedirect(self.get_success_url())
        topic.status = Topic.TOPIC_LOCKED
        topic.save()
        notifications.notify_moderation(
            author=topic.poster,
            actor=self.request.user,
            action=_("locked your question"),
            subject=topic.subject,
            reason=reason,
            url=topic_path(topic),
        )
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())


class TopicUnlockView(BaseTopicUnlockView):
    def get_queryset(self):
        return Topic.objects.select_related("forum", "poster")

    def perform_permissions_check(self, user, obj, perms):
        return self.request.forum_permission_handler.can_lock_topic(self.get_object(), user)


class TopicDeleteView(ReasonFormMixin, BaseTopicDeleteView):
    def get_queryset(self):
        return Topic.objects.select_related("forum", "poster")

    def perform_permissions_check(self, user, obj, perms):
        return self.request.forum_permission_handler.can_delete_topic(self.get_object(), user)

    @transaction.atomic
    def moderate(self, reason):
        forum = self.object.forum
        topic = lock_topic(self.object.pk)
        if topic is None:
            messages.info(
                self.request, _("This question was already deleted by another moderator.")
            )
            return HttpResponseRedirect(_forum_url(forum))
        author, subject = topic.poster, topic.subject
        topic.delete()
        notifications.notify_moderation(
            author=author,
            actor=self.request.user,
            action=_("deleted your question"),
            subject=subject,
            reason=reason,
        )
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(_forum_url(forum))


class TopicMoveView(BaseTopicMoveView):
    form_class = TopicMoveForm

    def get_queryset(self):
        return Topic.objects.select_related("forum", "poster")

    def perform_permissions_check(self, user, obj, perms):
        return self.request.forum_permission_handler.can_move_topic(self.get_object(), user)

    @transaction.atomic
    def form_valid(self, form):
        """machina's move, on the topic locked and read again: moved (and its author told)
        once; a move to another theme saved meanwhile is not undone."""
        topic = lock_topic(self.object.pk)
        if topic is None:
            messages.info(self.request, _("This question was deleted by another moderator."))
            return HttpResponseRedirect(_forum_url(self.object.forum))
        if topic.forum_id != self.object.forum_id:
            messages.info(
                self.request,
                _("This question was moved to the theme %(forum)s by another moderator.")
                % {"forum": topic.forum.name},
            )
            return HttpResponseRedirect(topic_path(topic))
        self.object = topic
        response = super().form_valid(form)
        notifications.notify_moderation(
            author=topic.poster,
            actor=self.request.user,
            action=_("moved your question to the theme %(forum)s") % {"forum": topic.forum.name},
            subject=topic.subject,
            reason=form.cleaned_data["reason"],
            url=topic_path(topic),
        )
        return response


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

    @transaction.atomic
    def approve(self, request, *args, **kwargs):
        """machina's approval, on the post locked and read again: approved (and announced to
        the theme's followers) once."""
        self.object = self.get_object()
        success_url = self.get_success_url()
        post = lock_post(self.object.pk)
        if post is None:
            messages.info(request, _("This message was rejected by another moderator."))
            return HttpResponseRedirect(success_url)
        if post.approved:
            messages.info(request, _("This message was already approved by another moderator."))
            return HttpResponseRedirect(success_url)
        post.approved = True
        post.save()
        messages.success(request, self.success_message)
        return HttpResponseRedirect(success_url)


class PostDisapproveView(ReasonFormMixin, BasePostDisapproveView):
    def get_queryset(self):
        return Post.objects.select_related("topic__forum", "poster")

    def perform_permissions_check(self, user, obj, perms):
        return self.request.forum_permission_handler.can_approve_post(self.get_object(), user)

    @transaction.atomic
    def moderate(self, reason):
        success_url = self.get_success_url()
        post = lock_post(self.object.pk)
        if post is None:
            messages.info(
                self.request, _("This message was already rejected by another moderator.")
            )
            return HttpResponseRedirect(success_url)
        if post.approved:
            messages.info(
                self.request, _("This message was approved by another moderator meanwhile.")
            )
            return HttpResponseRedirect(success_url)
        author, subject = post.poster, post.subject
        post.delete()
        notifications.notify_moderation(
            author=author,
            actor=self.request.user,
            action=_("rejected your message"),
            subject=subject,
            reason=reason,
        )
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(success_url)


class TerritoryTopicMixin:
    """machina's forum-level check, then the territory of the topic's author."""

    def get_queryset(self):
        return Topic.objects.select_related("forum", "poster")

    def perform_permissions_check(self, user, obj, perms):
        return super().perform_permissions_check(user, obj, perms) and (
            forum_perms.can_moderate_user(user, self.get_object().poster)
        )


class TopicUpdateToNormalTopicView(TerritoryTopicMixin, BaseToNormalView):
    pass


class TopicUpdateToStickyTopicView(TerritoryTopicMixin, BaseToStickyView):
    pass


class TopicUpdateToAnnounceView(TerritoryTopicMixin, BaseToAnnounceView):
    pass
