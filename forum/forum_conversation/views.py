"""machina's conversation views, extended for questions: themes, solved state, theme follow.

machina loads these classes by name (`get_class("forum_conversation.views", ...)`); the ones not
defined here stay machina's.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic.detail import SingleObjectMixin
from machina.apps.forum_conversation import views as machina_views
from machina.core.db.models import get_model

from forum import notifications, services
from forum import perms as forum_perms
from forum.forum_conversation.attachments import AttachmentFormset

Forum = get_model("forum", "Forum")
Post = get_model("forum_conversation", "Post")
Topic = get_model("forum_conversation", "Topic")
ThemeSubscription = get_model("forum_conversation", "ThemeSubscription")

#: The platform's unified search (the `search` app); machina's Haystack search is not offered.
PLATFORM_SEARCH_PATH = "/recherche/"


class TopicView(machina_views.TopicView):
    def get_topic(self):
        if not hasattr(self, "topic"):
            self.topic = get_object_or_404(
                Topic.objects.select_related("forum", "poster", "solved_post__poster"),
                pk=self.kwargs["pk"],
            )
            if not forum_perms.can_see_topic(self.request.user, self.topic):
                raise Http404  # awaiting moderation: its author and their moderators only
        return self.topic

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        handler = self.request.forum_permission_handler
        topic = self.get_topic()
        user = self.request.user
        if forum_perms.is_forum_moderator(user):  # edit/delete buttons of each post
            handler.prime_moderation(
                user, {post.poster_id for post in context["posts"]} | {topic.poster_id}
            )
        context["can_solve"] = handler.can_solve_topic(topic, user)
        context["can_moderate_topic"] = forum_perms.is_forum_moderator(user) and (
            handler.moderates(user, topic.poster)
        )
        return context


class AttachmentsMixin:
    """Attachments checked by content (see attachments.py). A submission without the formset's
    management data (a client that did not render the attachment fields) has no attachment."""

    attachment_formset_class = AttachmentFormset

    def get_attachment_formset(self, formset_class):
        if self.request.method == "POST" and "attachment-TOTAL_FORMS" not in self.request.POST:
            return None
        return super().get_attachment_formset(formset_class)


class ModeratedEditMixin:
    """machina's model form saves the edited message; a moderator's edit of someone else's
    message is written to the audit log in the same transaction (`services.record_post_edit`)."""

    def form_valid(self, *args, **kwargs):  # a question's form also has its poll's formset
        with transaction.atomic():
            response = super().form_valid(*args, **kwargs)
            if not self.preview:
                services.record_post_edit(post=self.forum_post, by=self.request.user)
        return response


class TopicCreateView(AttachmentsMixin, machina_views.TopicCreateView):
    pass


class TopicUpdateView(ModeratedEditMixin, AttachmentsMixin, machina_views.TopicUpdateView):
    pass


class PostCreateView(AttachmentsMixin, machina_views.PostCreateView):
    def get_topic(self):
        topic = super().get_topic()
        if topic is not None and not forum_perms.can_see_topic(self.request.user, topic):
            raise Http404  # no answer to a question awaiting moderation but by those who see it
        return topic


class PostUpdateView(ModeratedEditMixin, AttachmentsMixin, machina_views.PostUpdateView):
    pass


class PostDeleteView(machina_views.PostDeleteView):
    """A moderator deleting someone else's message gives a reason, told to its author."""

    def get_form_class(self):
        from forum.forum_moderation.forms import ModerationReasonForm

        if self._is_moderation():
            return ModerationReasonForm
        return forms.Form

    def _is_moderation(self):
        post = self.get_object()
        return post.poster_id != self.request.user.pk

    def form_valid(self, form):
        success_url = self.get_success_url()  # machina's, read before the post is gone
        services.delete_post(
            post=self.object, by=self.request.user, reason=form.cleaned_data.get("reason", "")
        )
        return HttpResponseRedirect(success_url)


class SolvedForm(forms.Form):
    post = forms.IntegerField()


class TopicSolveView(SingleObjectMixin, View):
    """POST: mark the question solved by one of its answers (author or moderator of the author);
    POST with `unsolve`: mark it open again."""

    model = Topic
    http_method_names = ["post"]

    def get_queryset(self):
        return Topic.objects.select_related("forum", "poster")

    def post(self, request, *args, **kwargs):
        topic = self.get_object()
        if topic.forum_id != int(kwargs["forum_pk"]):
            raise Http404
        if not request.forum_permission_handler.can_solve_topic(topic, request.user):
            raise PermissionDenied
        url = notifications.topic_path(topic)
        if "unsolve" in request.POST:
            services.unsolve_topic(topic)
            messages.success(request, _("The question is open again."))
            return HttpResponseRedirect(url)
        form = SolvedForm(request.POST)
        post = None
        if form.is_valid():
            post = services.solving_answer(topic, form.cleaned_data["post"])
        if post is None:
            messages.error(request, _("Choose one of the answers to this question."))
            return HttpResponseRedirect(url)
        if services.solve_topic(topic, post, request.user):
            messages.success(request, _("The question is marked solved. Thank you!"))
        else:
            messages.info(request, _("The question was already marked solved by this answer."))
        return HttpResponseRedirect(notifications.topic_path(topic, post))


class ThemeFollowView(View):
    """POST: follow (or, with `unfollow`, stop following) the new questions of a forum (theme)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        forum = get_object_or_404(Forum, pk=kwargs["forum_pk"], type=Forum.FORUM_POST)
        if not request.forum_permission_handler.can_read_forum(forum, request.user):
            raise PermissionDenied
        if "unfollow" in request.POST:
            services.unfollow_theme(request.user, forum)
            messages.success(request, _("You no longer follow the new questions of this theme."))
        else:
            services.follow_theme(request.user, forum)
            messages.success(
                request, _("You will be told of every new question asked in this theme.")
            )
        return HttpResponseRedirect(
            reverse("forum:forum", kwargs={"slug": forum.slug, "pk": forum.pk})
        )


class SearchRedirectView(View):
    """machina's own search (Haystack) is replaced by the platform's search."""

    def get(self, request, *args, **kwargs):
        query = request.GET.get("q", "")
        return HttpResponseRedirect(
            PLATFORM_SEARCH_PATH + "?" + urlencode({"q": query, "type": "forum"})
        )
