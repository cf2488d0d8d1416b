"""Synthetic data, activity part: the site events of every generated publication (the feed) and
the in-app notifications of the last weeks (the header bell), as the signals and the background
tasks would have written them (see `core.dataset`). No email is queued."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.translation import gettext as _
from notifications.models import Notification

from activity.enums import NotificationKind
from activity.models import SiteEvent
from activity.notifications import VERBS, site_event_recipients
from core.dataset import Generation, step
from directory.models import User
from journal.enums import Audience
from journal.models import Entry
from journal.notifications import recipients_for_entry

#: Notifications are written for what happened in these last days.
RECENT_SITE_DAYS = 30
RECENT_JOURNAL_DAYS = 4
MAX_RECIPIENTS = 12


def _kind(position: int, revision, previous) -> NotificationKind:
    if position == 0:
        return NotificationKind.SITE_CREATED
    if revision.content.get("closed_at") and not (previous.content.get("closed_at")):
        return NotificationKind.SITE_CLOSED
    return NotificationKind.SITE_UPDATED


def _notification(*, user, actor, actor_type, target, target_type, kind, verb, url, when, rng):
    return Notification(
        recipient=user,
        actor_content_type=actor_type,
        actor_object_id=str(actor.pk),
        verb=verb[:255],
        target_content_type=target_type,
        target_object_id=str(target.pk),
        timestamp=when,
        unread=rng.random() < 0.6,
        data={
            "kind": str(kind),
            "url": url,
            "actor_name": actor.get_full_name() if isinstance(actor, User) else "",
        },
    )


@step(60, "Activité")
def generate_activity(generation: Generation) -> None:
    rng = generation.rng("activity")
    events = []
    for site in generation.sites:
        revisions = generation.revisions.get(site.pk, [])
        for position, revision in enumerate(revisions):
            events.append(
                SiteEvent(
                    kind=_kind(position, revision, revisions[position - 1]),
                    site=site,
                    revision=revision,
                    actor=revision.user,
                    title=site.title[:255],
                    occurred_at=revision.created_at,
                )
            )
    SiteEvent.objects.bulk_create(events, batch_size=2000)
    site_since = generation.moment(RECENT_SITE_DAYS)
    journal_since = generation.moment(RECENT_JOURNAL_DAYS)
    recent_events = [event for event in events if event.occurred_at >= site_since]
    recent_entries = [
        entry
        for entry in generation.entries
        if entry.created_at >= journal_since
        and entry.state == "published"
        and entry.audience != Audience.CHOSEN  # their readers depend on the entry
    ]
    bar = generation.progress("Notifications", len(recent_events) + len(recent_entries))
    user_type = ContentType.objects.get_for_model(User)
    notifications, readers_by_commune, readers_by_site = [], {}, {}
    with translation.override("fr"):
        for event in recent_events:
            site = event.site
            actor = event.actor or site
            if site.commune_id not in readers_by_commune:  # the same for a commune's sites
                readers_by_commune[site.commune_id] = site_event_recipients(site)
            recipients = [u for u in readers_by_commune[site.commune_id] if u != event.actor]
            for user in rng.sample(recipients, k=min(MAX_RECIPIENTS, len(recipients))):
                notifications.append(
                    _notification(
                        user=user,
                        actor=actor,
                        actor_type=user_type
                        if event.actor
                        else ContentType.objects.get_for_model(site),
                        target=site,
                        target_type=ContentType.objects.get_for_model(site),
                        kind=NotificationKind(event.kind),
                        verb=_(VERBS[NotificationKind(event.kind)]) % {"title": event.title},
                        url=site.url_path and site.get_url() or "",
                        when=event.occurred_at,
                        rng=rng,
                    )
                )
            bar.advance()
        entry_type = ContentType.objects.get_for_model(Entry)
        for entry in recent_entries:
            # Readers depend on the territory and the audience: computed once per commune.
            key = (entry.site.commune_id, entry.audience)
            if key not in readers_by_site:
                readers_by_site[key] = list(recipients_for_entry(entry)[: MAX_RECIPIENTS * 3])
            recipients = [u for u in readers_by_site[key] if u.pk != entry.author_id]
            for user in rng.sample(recipients, k=min(MAX_RECIPIENTS, len(recipients))):
                notifications.append(
                    _notification(
                        user=user,
                        actor=entry.author,
                        actor_type=user_type,
                        target=entry,
                        target_type=entry_type,
                        kind=NotificationKind.JOURNAL_ENTRY,
                        verb=_("posted a message in the journal of “%(site)s”")
                        % {"site": entry.site.title},
                        url=entry.get_absolute_url(),
                        when=entry.created_at + datetime.timedelta(minutes=1),
                        rng=rng,
                    )
                )
            bar.advance()
    Notification.objects.bulk_create(notifications, batch_size=2000)
    bar.finish(f"{len(events)} événements de site, {len(notifications)} notifications")
    generation.record("site events", len(events))
    generation.record("notifications", len(notifications))
