"""Who is told of site events (recipient rules of the activity app).

A site created, updated or closed (a published revision of a `SitePage`) is told to the active
users whose intervention areas hold the site (strictly: a commune area covers its commune only,
the read widening to the department does not apply) and who may read it
(`Feature.SITE_READ`), never to the author of the revision. Each recipient may turn the emails
of each kind off; the in-app notification stays.
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from wagtail.models import PageLogEntry

from activity.enums import NotificationKind
from activity.models import SiteEvent
from activity.services import notify
from directory import perms
from directory.enums import TerritoryLevel
from directory.models import User
from directory.permission_matrix import Feature

VERBS = {
    NotificationKind.SITE_CREATED: gettext_noop("A site was declared: %(title)s"),
    NotificationKind.SITE_UPDATED: gettext_noop("A site was updated: %(title)s"),
    NotificationKind.SITE_CLOSED: gettext_noop("A site was closed: %(title)s"),
}


def event_kind(site, revision) -> NotificationKind:
    """created (first publication), closed (closed_at newly set) or updated."""
    if site.first_published_at is None or site.first_published_at == site.last_published_at:
        if not SiteEvent.objects.filter(site=site).exists():
            return NotificationKind.SITE_CREATED
    if site.closed_at is not None:
        # page_published comes before the log entry of this publication: the latest one is
        # the previous publication.
        previous = (
            PageLogEntry.objects.filter(page_id=site.pk, action="wagtail.publish")
            .exclude(revision=revision)
            .order_by("-timestamp", "-pk")
            .values_list("revision__content", flat=True)
            .first()
        )
        if not (previous or {}).get("closed_at"):
            return NotificationKind.SITE_CLOSED
    return NotificationKind.SITE_UPDATED


def record_site_event(site, revision) -> SiteEvent:
    return SiteEvent.objects.create(
        kind=event_kind(site, revision),
        site=site,
        revision=revision,
        actor_id=getattr(revision, "user_id", None),
        title=site.title[:255],
        occurred_at=site.last_published_at or revision.created_at,
    )


def _area_q(prefix: str, location) -> Q:
    """Areas (through `prefix`) that may hold `location`: a cheap pre-filter, checked exactly
    by `perms` afterwards."""
    query = Q(**{f"{prefix}__level": TerritoryLevel.NATION})
    if location.regions:
        query |= Q(**{f"{prefix}__region_id__in": location.regions})
    if location.departments:
        query |= Q(**{f"{prefix}__department_id__in": location.departments})
    if location.epci:
        query |= Q(**{f"{prefix}__epci_id": location.epci})
    if location.commune:
        query |= Q(**{f"{prefix}__commune_id": location.commune})
    return query


def site_event_recipients(site, *, author=None) -> list:
    """Active users whose areas hold the site and who may read it, without the author."""
    location = perms.locate(site.commune)
    candidates = (
        User.objects.active()
        .filter(
            _area_q("intervention_areas", location)
            | (
                Q(intervention_areas__isnull=True)
                & _area_q("organization__intervention_areas", location)
            )
        )
        .distinct()
        .order_by("pk")
    )
    if author is not None:
        candidates = candidates.exclude(pk=author.pk)
    return [
        user
        for user in candidates
        if perms.areas_of(user).covers(location, read=False)
        and perms.can(user, Feature.SITE_READ, site)
    ]


def notify_site_event(event_id: int) -> int:
    event = (
        SiteEvent.objects.select_related("site", "site__commune", "actor")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return 0
    site = event.site
    recipients = site_event_recipients(site, author=event.actor)
    verb = _(VERBS[NotificationKind(event.kind)]) % {"title": event.title}
    return notify(
        kind=event.kind,
        recipients=recipients,
        actor=event.actor or site,
        verb=verb,
        target=site,
        url=site.url or "",
        email_subject=verb,
        email_template="activity/emails/site_event.txt",
        email_context={"event": event, "site": site, "commune": site.commune},
        occurred_at=event.occurred_at,
    )
