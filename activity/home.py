"""The blocks of « Mon accueil » that belong to the activity app (registered in `directory.home`):

- my sites: the sites I follow and the sites where I am an actor, with what changed on them since
  my last visit (updates, closings, journal messages I may read);
- sites of my territory not updated for six months that I may update;
- sites declared in the last 30 days that I may read;
- the résorption targets of the year;
- my pending tasks: access requests to decide, journal messages to moderate.

Every block is bounded (a few rows each, a count beside) and costs the same number of queries
with 10 or 500 sites.
"""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from activity.models import HomeVisit, SiteEvent
from directory import home, perms
from directory.enums import AccessRequestStatus
from directory.models import AccessRequest
from directory.permission_matrix import Feature
from journal import perms as journal_perms
from journal.enums import ReportStatus
from journal.models import Entry
from sitepages.models import SiteActor, SiteFollow, SitePage

#: rows shown per block (the count says how many there are in all)
SHOWN = 5
MY_SITES_SHOWN = 10
CHANGES_SHOWN = 10
NEW_SITES_DAYS = 30
#: the « since my last visit » of a session stays the same while the session lasts
SESSION_KEY = "home_since"
#: a first visit shows the changes of the last week
FIRST_VISIT_DAYS = 7


def last_visit(request) -> datetime.datetime:
    """The start of « since my last visit »: the previous visit of the home, kept for the session
    (reloading the home does not empty it); the visit is then recorded."""
    now = timezone.now()
    stored = request.session.get(SESSION_KEY)
    if stored:
        try:
            return datetime.datetime.fromisoformat(stored)
        except ValueError:
            pass
    visit = HomeVisit.objects.filter(user=request.user).first()
    since = visit.seen_at if visit else now - datetime.timedelta(days=FIRST_VISIT_DAYS)
    HomeVisit.objects.update_or_create(user=request.user, defaults={"seen_at": now})
    request.session[SESSION_KEY] = since.isoformat()
    return since


def _readable_sites(user):
    return SitePage.objects.live().filter(perms.scope_q(user, Feature.SITE_READ, "commune"))


def _site_row(request, site, **extra) -> dict:
    return {
        "title": site.title,
        "url": site.get_url(request=request) or "",
        "commune": site.commune.name if site.commune_id else "",
        "closed": site.closed_at is not None,
        **extra,
    }


def my_sites_block(request) -> dict | None:
    user = request.user
    if not perms.can(user, Feature.SITE_READ):
        return None
    since = last_visit(request)
    followed = SiteFollow.objects.filter(user=user).values("site_id")
    acting = SiteActor.objects.filter(user=user).values("site_id")
    mine = _readable_sites(user).filter(Q(pk__in=followed) | Q(pk__in=acting))
    count = mine.count()
    sites = list(
        mine.select_related("commune")
        .with_last_update()
        .order_by("-last_update", "title")[:MY_SITES_SHOWN]
    )
    followed_ids = set(
        SiteFollow.objects.filter(user=user, site__in=[s.pk for s in sites]).values_list(
            "site_id", flat=True
        )
    )
    acting_ids = set(
        SiteActor.objects.filter(user=user, site__in=[s.pk for s in sites]).values_list(
            "site_id", flat=True
        )
    )
    rows = [
        _site_row(
            request,
            site,
            last_update=site.last_update,
            followed=site.pk in followed_ids,
            actor=site.pk in acting_ids,
        )
        for site in sites
    ]
    changes = []
    if count:
        events = (
            SiteEvent.objects.filter(site__in=mine, occurred_at__gt=since)
            .select_related("site__commune", "actor")
            .order_by("-occurred_at")[:CHANGES_SHOWN]
        )
        for event in events:
            changes.append(
                {
                    "when": event.occurred_at,
                    "kind": event.kind,
                    "label": event.get_kind_display(),
                    "title": event.site.title,
                    "by": event.actor.get_full_name() if event.actor_id else "",
                    "url": event.site.get_url(request=request) or "",
                }
            )
        entries = (
            Entry.objects.visible_to(user)
            .filter(site__in=mine, created_at__gt=since)
            .exclude(author=user)
            .select_related("site", "author")
            .order_by("-created_at")[:CHANGES_SHOWN]
        )
        for entry in entries:
            changes.append(
                {
                    "when": entry.created_at,
                    "kind": "journal_entry",
                    "label": None,
                    "title": entry.site.title,
                    "by": entry.author.get_full_name(),
                    "url": entry.get_absolute_url(),
                }
            )
        changes.sort(key=lambda change: change["when"], reverse=True)
        changes = changes[:CHANGES_SHOWN]
    return {
        "template": "activity/home_blocks/my_sites.html",
        "since": since,
        "count": count,
        "sites": rows,
        "changes": changes,
        "list_url": reverse("site_list"),
    }


def territory_block(request) -> dict | None:
    """Stale sites I may update, new sites, résorption targets of the year."""
    user = request.user
    if not perms.can(user, Feature.SITE_LIST):
        return None
    today = timezone.localdate()
    listed = SitePage.objects.live().visible_to(user).select_related("commune")
    stale = (
        SitePage.objects.live()
        .open()
        .filter(perms.scope_q(user, Feature.SITE_UPDATE, "commune"))
        .stale()
    )
    new = listed.filter(declared_at__gte=today - datetime.timedelta(days=NEW_SITES_DAYS))
    targets = listed.open().filter(resorption_target_year=today.year)
    candidates = [
        (
            "stale",
            stale.select_related("commune").with_last_update(),
            "last_update",
        ),
        ("new", new.with_last_update(), "-declared_at"),
        ("targets", targets.with_last_update(), "title"),
    ]
    if not perms.can(user, Feature.SITE_UPDATE):
        candidates = candidates[1:]  # « sites I may update »: none
    sections = []
    for key, queryset, order in candidates:
        sections.append(
            {
                "key": key,
                "count": queryset.count(),
                "sites": [
                    _site_row(
                        request, site, last_update=site.last_update, declared_at=site.declared_at
                    )
                    for site in queryset.order_by(order, "pk")[:SHOWN]
                ],
            }
        )
    return {
        "template": "activity/home_blocks/territory.html",
        "year": today.year,
        "sections": sections,
        "stale_url": reverse("site_list") + "?non_actualise=on",
        "stale_days_months": 6,
        "new_days": NEW_SITES_DAYS,
    }


def tasks_block(request) -> dict:
    user = request.user
    tasks = []
    if perms.can(user, Feature.USER_CREATE):
        count = (
            AccessRequest.objects.filter(status=AccessRequestStatus.PENDING)
            .filter(perms.access_requests_q(user))
            .count()
        )
        tasks.append(
            {"key": "access_requests", "count": count, "url": reverse("access_request_list")}
        )
    if journal_perms.can_use_moderation_queue(user):
        count = (
            Entry.objects.filter(journal_perms.moderation_q(user))
            .filter(reports__status=ReportStatus.OPEN)
            .distinct()
            .count()
        )
        tasks.append({"key": "moderation", "count": count, "url": reverse("journal:moderation")})
    return {"template": "activity/home_blocks/tasks.html", "tasks": tasks}


def register() -> None:
    home.register("tasks", tasks_block, order=10)
    home.register("my_sites", my_sites_block, order=20)
    home.register("territory", territory_block, order=30)
