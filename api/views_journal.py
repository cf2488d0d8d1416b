"""Site and action journals and my notifications through the API: the journal's own rules
and lookups (`journal.perms`, `journal.lookups`, `Entry.objects.in_stream`), its form's
validation and French messages (`EntryForm.entry_data`), and its service for posting
(`journal.services.post_entry`, which notifies as the page does) — the same calls as the
journal's pages, no rule of its own."""

from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from notifications.models import Notification
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from activity import services as activity_services
from activity.display import group_summary
from api.views import PlatformApi
from core.storage import private_download
from journal import lookups as journal_lookups
from journal import perms as journal_perms
from journal import services as journal_services
from journal.enums import Audience
from journal.forms import EntryForm
from journal.models import Entry

# --- Serializers --------------------------------------------------------------------------------


class EntrySerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    author_organization = serializers.SerializerMethodField()
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    audience = serializers.SerializerMethodField(
        help_text=_("Shown to the author and to moderators only, as on the page.")
    )
    hidden = serializers.BooleanField(source="is_hidden")
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Entry
        fields = [
            "id",
            "site",
            "action",
            "author",
            "author_organization",
            "text",
            "text_html",
            "tags",
            "audience",
            "hidden",
            "created_at",
            "edited_at",
            "attachments",
        ]

    def get_author(self, entry) -> str:
        return entry.author.get_full_name()

    def get_author_organization(self, entry) -> str | None:
        organization = entry.author.organization
        return organization.name if organization else None

    def get_audience(self, entry) -> str | None:
        if journal_perms.can_see_audience(self.context["request"].user, entry):
            return entry.audience
        return None

    def get_attachments(self, entry) -> list[dict]:
        return [
            {
                "id": attachment.pk,
                "name": attachment.name,
                "size": attachment.size,
                "url": reverse("api:journal_attachment", args=[attachment.pk]),
            }
            for attachment in entry.attachments.all()
        ]


class EntryInputSerializer(serializers.Serializer):
    """What a new message takes (documentation; the journal's form validates it)."""

    text = serializers.CharField()
    audience = serializers.ChoiceField(choices=Audience.choices, required=False)
    tags = serializers.ListField(child=serializers.IntegerField(), required=False)
    organizations = serializers.ListField(child=serializers.IntegerField(), required=False)
    users = serializers.ListField(child=serializers.IntegerField(), required=False)


class NotificationSerializer(serializers.ModelSerializer):
    """`timestamp` is the time of the (latest) event; a group of repeated events on one object
    has `count` > 1, the names of the people (`actors`), the first event's time (`first_at`)
    and a French `summary` line."""

    url = serializers.SerializerMethodField()
    count = serializers.SerializerMethodField()
    actors = serializers.SerializerMethodField()
    first_at = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "verb", "timestamp", "unread", "url", "count", "actors", "first_at"]
        fields += ["summary"]

    def get_url(self, notification) -> str | None:
        return (notification.data or {}).get("url")

    def get_count(self, notification) -> int:
        return int((notification.data or {}).get("count") or 1)

    def get_actors(self, notification) -> list[str]:
        data = notification.data or {}
        return list(data.get("actors") or ([data["actor_name"]] if data.get("actor_name") else []))

    def get_first_at(self, notification) -> str:
        data = notification.data or {}
        return data.get("first_at") or notification.timestamp.isoformat()

    def get_summary(self, notification) -> str:
        return group_summary(notification)


# --- Journal ------------------------------------------------------------------------------------


def as_form_data(data) -> QueryDict:
    """A JSON object as the form's POST data (lists as repeated values)."""
    if isinstance(data, QueryDict):
        return data
    if not isinstance(data, dict):
        raise ValidationError({"detail": [_("A JSON object is expected.")]})
    form_data = QueryDict(mutable=True)
    for key, value in data.items():
        values = value if isinstance(value, list) else [value]
        form_data.setlist(key, ["" if item is None else str(item) for item in values])
    return form_data


class _TargetJournal(PlatformApi, generics.ListAPIView):
    """The journal of a target (a site or an action) the user may read: the messages they may
    read, newest first; posting as on its page (the journal's form, rights and service)."""

    serializer_class = EntrySerializer
    cursor_ordering = ("-created_at", "-pk")

    def target(self, pk):
        raise NotImplementedError

    def get_queryset(self):
        return Entry.objects.in_stream(self.target(self.kwargs["pk"]), self.request.user)

    def post(self, request, pk):
        target = self.target(pk)
        if not journal_perms.can_post(request.user, target):
            raise Http404
        form = EntryForm(
            as_form_data(request.data), request.FILES, target=target, author=request.user
        )
        if not form.is_valid():
            raise ValidationError(form.errors)
        entry = journal_services.post_entry(target=target, author=request.user, **form.entry_data())
        entry = Entry.objects.for_display().get(pk=entry.pk)
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["journal"])
class SiteJournal(_TargetJournal):
    def target(self, pk):
        return journal_lookups.site_or_404(self.request.user, pk)

    @extend_schema(summary=_("The journal messages of a site the user may read"))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary=_("Post a message in the journal of a site, with an audience"),
        request=EntryInputSerializer,
        responses={201: EntrySerializer},
    )
    def post(self, request, pk):
        return super().post(request, pk)


@extend_schema(tags=["journal"])
class ActionJournal(_TargetJournal):
    def target(self, pk):
        return journal_lookups.action_or_404(self.request.user, pk)

    @extend_schema(summary=_("The journal messages of a resorption action the user may read"))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary=_("Post a message in the journal of a resorption action, with an audience"),
        request=EntryInputSerializer,
        responses={201: EntrySerializer},
    )
    def post(self, request, pk):
        return super().post(request, pk)


@extend_schema(
    tags=["journal"],
    summary=_("Download an attachment of a journal message the user may read"),
    responses={
        (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
        404: OpenApiResponse(description=_("Unknown, or a message the user may not read.")),
    },
)
class JournalAttachment(PlatformApi, generics.GenericAPIView):
    serializer_class = None

    def get(self, request, pk):
        item = journal_lookups.attachment_or_404(request.user, pk)
        return private_download(item.file, filename=item.name, content_type=item.content_type)


# --- Notifications ------------------------------------------------------------------------------


def own_notifications(user):
    return Notification.objects.filter(recipient=user, deleted=False)


@extend_schema(tags=["notifications"], summary=_("My notifications, newest first"))
class NotificationList(PlatformApi, generics.ListAPIView):
    serializer_class = NotificationSerializer
    cursor_ordering = ("-timestamp", "-pk")

    def get_queryset(self):
        return own_notifications(self.request.user).only(
            "pk", "verb", "timestamp", "unread", "data"
        )


@extend_schema(
    tags=["notifications"],
    summary=_("Mark one of my notifications as read"),
    request=None,
    responses={200: NotificationSerializer},
)
class NotificationMarkRead(PlatformApi, generics.GenericAPIView):
    serializer_class = NotificationSerializer

    def post(self, request, pk):
        notification = get_object_or_404(own_notifications(request.user), pk=pk)
        activity_services.mark_read(notification=notification)
        return Response(self.get_serializer(notification).data)


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


@extend_schema(
    tags=["notifications"],
    summary=_("Mark all my notifications as read"),
    request=None,
    responses={200: MarkedSerializer},
)
class NotificationMarkAllRead(PlatformApi, generics.GenericAPIView):
    serializer_class = MarkedSerializer

    def post(self, request):
        return Response({"marked": activity_services.mark_all_read(user=request.user)})
