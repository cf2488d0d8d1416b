"""The activity feed: what happened in the reader's territory, newest first.

Each source returns at most `limit` items older than a cursor, in one query, from what the reader
may see; the feed merges them and keeps the `limit` newest ("older events" moves the cursor).
The cost of a page is one query per source, whatever the amount of data.

Sources: site events (`SiteEvent`, recorded from the published revisions of sites), journal
messages (`journal.Entry.objects.visible_to(reader)`, optional: the feed works without the
journal app), new users (the directory is open to every member), forum questions (machina
topics, approved, for forum members).
"""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from activity.enums import SITE_KINDS, NotificationKind
from activity.models import SiteEvent
from directory import perms
from directory.models import Department, User
from directory.permission_matrix import Feature
from forum import perms as forum_perms

PAGE_SIZE = 20


@dataclass
class FeedItem:
    type: str
    type_label: str
    when: datetime
    title: str
    url: str
    actor: str = ""
    place: str = ""
    icon: str = "fr-icon-information-line"


# --- Sources ------------------------------------------------------------------------------------


def site_items(reader, *, before, department, kinds, limit, request=None) -> list[FeedItem]:
    events = (
        SiteEvent.objects.filter(perms.scope_q(reader, Feature.SITE_LIST, "site__commune"))
        .filter(kind__in=kinds, occurred_at__lt=before, site__live=True)
        .select_related("site", "site__commune", "actor")
        .order_by("-occurred_at", "-pk")
    )
    if department:
        events = events.filter(site__commune__department_id=department)
    icons = {
        NotificationKind.SITE_CREATED: "fr-icon-map-pin-2-line",
        NotificationKind.SITE_UPDATED: "fr-icon-edit-line",
        NotificationKind.SITE_CLOSED: "fr-icon-close-circle-line",
    }
    labels = {
        NotificationKind.SITE_CREATED: _("Site declared"),
        NotificationKind.SITE_UPDATED: _("Site updated"),
        NotificationKind.SITE_CLOSED: _("Site closed"),
    }
    return [
        FeedItem(
            type=event.kind,
            type_label=labels[NotificationKind(event.kind)],
            when=event.occurred_at,
            title=event.title,
            url=event.site.get_url(request=request) or "",
            actor=event.actor.get_full_name() if event.actor else "",
            place=event.site.commune.name,
            icon=icons[NotificationKind(event.kind)],
        )
        for event in events[:limit]
    ]


def entry_model():
    """journal.Entry when the journal app provides it with `visible_to`, else None."""
    try:
        model = apps.get_model("journal", "Entry")
    except LookupError:
        return None
    return model if hasattr(model.objects, "visible_to") else None


def journal_items(reader, *, before, department, limit, request=None) -> list[FeedItem]:
    model = entry_model()
    if model is None:
        return []
    # The feed follows sites: an action's journal messages are on the action's page.
    entries = model.objects.visible_to(reader).filter(created_at__lt=before, site__isnull=False)
    state_field = {field.name for field in model._meta.get_fields()}
    if "state" in state_field:
        entries = entries.filter(state="published")
    if department:
        entries = entries.filter(site__commune__department_id=department)
    entries = entries.select_related("site", "site__commune", "author").order_by(
        "-created_at", "-pk"
    )
    return [
        FeedItem(
            type="journal",
            type_label=_("Journal message"),
            when=entry.created_at,
            title=entry.site.title,
            url=entry.get_absolute_url(),
            actor=entry.author.get_full_name() if entry.author else "",
            place=entry.site.commune.name,
            icon="fr-icon-chat-3-line",
        )
        for entry in entries[:limit]
    ]


def _department_users_q(department: str, prefix: str = "") -> Q:
    """Users whose own areas lie in (or cover) `department`."""
    areas = f"{prefix}intervention_areas"
    return (
        Q(**{f"{areas}__department_id": department})
        | Q(**{f"{areas}__commune__department_id": department})
        | Q(**{f"{areas}__epci__communes__department_id": department})
    )


def user_items(reader, *, before, department, limit, request=None) -> list[FeedItem]:
    if not perms.can(reader, Feature.USER_LIST):
        return []
    users = User.objects.active().filter(date_joined__lt=before).select_related("organization")
    if department:
        users = users.filter(
            pk__in=User.objects.filter(_department_users_q(department)).values("pk")
        )
    return [
        FeedItem(
            type="user",
            type_label=_("New user"),
            when=user.date_joined,
            title=user.get_full_name(),
            url=reverse("directory_person", kwargs={"pk": user.pk}),
            place=user.organization.name if user.organization else "",
            icon="fr-icon-user-add-line",
        )
        for user in users.order_by("-date_joined", "-pk")[:limit]
    ]


def forum_items(reader, *, before, department, limit, request=None) -> list[FeedItem]:
    if not forum_perms.is_forum_member(reader):
        return []
    topic_model = apps.get_model("forum_conversation", "Topic")
    topics = topic_model.objects.filter(approved=True, created__lt=before).select_related(
        "forum", "poster"
    )
    if department:
        topics = topics.filter(
            poster__in=User.objects.filter(_department_users_q(department)).values("pk")
        )
    items = []
    for topic in topics.order_by("-created", "-pk")[:limit]:
        try:
            url = reverse(
                "forum_conversation:topic",
                kwargs={
                    "forum_slug": topic.forum.slug,
                    "forum_pk": topic.forum_id,
                    "slug": topic.slug,
                    "pk": topic.pk,
                },
            )
        except NoReverseMatch:
            url = ""
        items.append(
            FeedItem(
                type="forum",
                type_label=_("Forum question"),
                when=topic.created,
                title=topic.subject,
                url=url,
                actor=topic.poster.get_full_name() if topic.poster else "",
                place=topic.forum.name,
                icon="fr-icon-question-line",
            )
        )
    return items


# --- The feed -----------------------------------------------------------------------------------


def feed(reader, *, before: datetime, types=None, department: str = "", request=None, limit=None):
    """(items, next cursor or None): the `limit` newest events before `before`."""
    limit = limit or PAGE_SIZE
    types = set(types or [kind.value for kind in SITE_KINDS] + ["journal", "user", "forum"])
    common = {"before": before, "department": department, "limit": limit + 1, "request": request}
    items: list[FeedItem] = []
    site_kinds = [kind.value for kind in SITE_KINDS if kind.value in types]
    if site_kinds:
        items += site_items(reader, kinds=site_kinds, **common)
    if "journal" in types:
        items += journal_items(reader, **common)
    if "user" in types:
        items += user_items(reader, **common)
    if "forum" in types:
        items += forum_items(reader, **common)
    items.sort(key=lambda item: item.when, reverse=True)
    page, rest = items[:limit], items[limit:]
    return page, (page[-1].when if rest else None)


def departments_for(reader):
    """Departments offered in the filter: those the reader's areas reach (every department for
    readers with a national scope)."""

    departments = Department.objects.order_by("code")
    areas = perms.areas_of(reader)
    if areas.national or perms.scope_for(reader, Feature.SITE_LIST) == "national":
        return list(departments)
    codes = set(areas.departments) | set(areas.widened_departments)
    query = Q(code__in=codes) | Q(region_id__in=areas.regions)
    return list(departments.filter(query))
