"""Forum ("Entraide") questions and answers, read-only, with the forum's rules
(`forum.perms`): members only; approved messages, plus the reader's own awaiting approval."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from machina.core.db.models import get_model
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied

from api.views import PlatformApi
from forum import perms as forum_perms

Topic = get_model("forum_conversation", "Topic")
Post = get_model("forum_conversation", "Post")


class TopicSerializer(serializers.ModelSerializer):
    forum = serializers.CharField(source="forum.name")
    author = serializers.SerializerMethodField()

    class Meta:
        model = Topic
        fields = ["id", "subject", "forum", "author", "created", "last_post_on", "posts_count"]

    def get_author(self, topic) -> str | None:
        return topic.poster.get_full_name() if topic.poster else None


class PostSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    content = serializers.SerializerMethodField(help_text=_("The message, as sanitised HTML."))

    class Meta:
        model = Post
        fields = ["id", "topic", "subject", "author", "content", "approved", "created", "updated"]

    def get_author(self, post) -> str | None:
        return post.poster.get_full_name() if post.poster else None

    def get_content(self, post) -> str:
        return str(post.content.rendered or "")


def _require_member(user) -> None:
    if not forum_perms.is_forum_member(user):
        raise PermissionDenied


@extend_schema(
    tags=["forum"], summary=_("Forum questions the user may read, latest activity first")
)
class TopicList(PlatformApi, generics.ListAPIView):
    serializer_class = TopicSerializer
    cursor_ordering = ("-last_post_on", "-pk")

    def get_queryset(self):
        user = self.request.user
        _require_member(user)
        return (
            Topic.objects.filter(forum_perms.visible_q(user))
            .exclude(last_post_on__isnull=True)
            .select_related("forum", "poster")
        )


@extend_schema(
    tags=["forum"], summary=_("The messages of a forum question (question then answers)")
)
class TopicPosts(PlatformApi, generics.ListAPIView):
    serializer_class = PostSerializer
    cursor_ordering = ("created", "pk")

    def get_queryset(self):
        user = self.request.user
        _require_member(user)
        topic = get_object_or_404(Topic.objects.select_related("poster"), pk=self.kwargs["pk"])
        if not forum_perms.can_see_topic(user, topic):
            raise Http404
        return (
            Post.objects.filter(topic=topic)
            .filter(forum_perms.visible_q(user))
            .select_related("poster")
        )
