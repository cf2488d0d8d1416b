"""Send notifications: the one entry point every app calls (in-app + email).

Contract shared by the apps (journal, forum, sitepages, directory): each app decides *who* is told
(its own `notifications.py`, tested there) and calls `notify()` with the recipients; this module
stores the in-app notifications and queues the emails according to each recipient's preferences.

Cost of one call, whatever the number of recipients: one INSERT of the in-app notifications, one
query for the preferences, one INSERT of the email and one of its deliveries, one INSERT per
batch of 50 recipients for the email tasks.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from notifications.models import Notification

from activity import emails, preferences
from activity.enums import GROUPED_KINDS, NotificationKind
from activity.models import EmailDelivery, OutgoingEmail
from core.notifications import Delivery

DEFAULT_EMAIL_TEMPLATE = "activity/emails/notification.txt"


def notify(
    *,
    kind: NotificationKind,
    recipients: Iterable,
    actor: models.Model,
    verb: str,
    target: models.Model | None = None,
    url: str = "",
    email_subject: str = "",
    email_template: str = "",
    email_context: dict | None = None,
    occurred_at=None,
) -> int:
    """Notify `recipients` (users) of an event; return how many were notified.

    - `actor`: who did it (a user, or the object itself for system events); a user is never
      notified of their own action; inactive accounts are skipped;
    - `verb`: short French sentence shown in the notification list (already translated);
    - `url`: link to the object (a path on the platform);
    - `email_subject` (default: `verb`), `email_template` (a text template, default
      `activity/emails/notification.txt`; a sibling `.html` template gives the HTML part) and
      `email_context` (rendered once for all recipients, with `verb`, `url`, `actor`, `target`
      added): the email sent to the recipients who did not turn this kind off. Each copy gets a
      greeting and a one-click unsubscribe link;
    - `occurred_at`: when the event happened, when it is told later (a background task); the
      notification shows that time. Repeated events of some kinds on one `target` are grouped
      (see `create_notifications`).
    """
    users = _recipients(recipients, actor)
    if not users:
        return 0
    with transaction.atomic():
        notifications = create_notifications(
            kind=kind,
            users=users,
            actor=actor,
            verb=verb,
            target=target,
            url=url,
            occurred_at=occurred_at,
        )
        text, html = emails.render_content(
            template=email_template or DEFAULT_EMAIL_TEMPLATE,
            context={
                **(email_context or {}),
                "verb": verb,
                "url": emails.absolute_url(url),
                "actor": actor,
                "target": target,
            },
        )
        queue_email(
            kind=kind,
            users=users,
            subject=email_subject or verb,
            text_body=text,
            html_body=html,
            url=url,
            notifications=notifications,
            immediate=True,
        )
    return len(users)


def _recipients(recipients: Iterable, actor) -> list:
    """Distinct active users, without the actor."""
    user_model = get_user_model()
    actor_pk = actor.pk if isinstance(actor, user_model) else None
    seen, users = set(), []
    for user in recipients:
        if user.pk in seen or user.pk == actor_pk or not user.is_active:
            continue
        seen.add(user.pk)
        users.append(user)
    return users


def _actor_name(actor) -> str:
    if isinstance(actor, get_user_model()):
        return actor.get_full_name() or ""
    return ""


def _actor_key(actor) -> str:
    """Who did it, for counting people in a group: users only (a site acting for itself is
    nobody)."""
    return str(actor.pk) if isinstance(actor, get_user_model()) else ""


def create_notifications(
    *, kind, users: list, actor, verb: str, target=None, url: str = "", occurred_at=None
) -> list[Notification]:
    """In-app notifications only (no email); return them, one per user.

    `occurred_at`: when the event happened (default now; a background task telling an event
    later passes the event's own time). For the kinds of `GROUPED_KINDS` with a `target`, a
    user who still has an unread line of the same kind on the same target gets that line
    updated (count, people, newest time) instead of a new one; read lines are never changed.
    A few queries whatever the number of users: one lock, one SELECT, one UPDATE, one INSERT.
    """
    when = occurred_at or timezone.now()
    actor_type = ContentType.objects.get_for_model(actor)
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    name = _actor_name(actor)
    data = {"kind": str(kind), "url": url, "actor_name": name}
    grouped = kind in GROUPED_KINDS and target is not None
    if grouped:
        data.update(
            count=1,
            first_at=when.isoformat(),
            actors=[name] if name else [],
            actor_ids=[_actor_key(actor)] if _actor_key(actor) else [],
        )
    with transaction.atomic():
        existing = {}
        if grouped:
            existing = _lock_groups(
                kind=kind, users=users, target_type=target_type, target_pk=str(target.pk)
            )
        updated = []
        for line in existing.values():
            line_data = dict(line.data or {})
            line_data["count"] = int(line_data.get("count") or 1) + 1
            line_data.setdefault("first_at", line.timestamp.isoformat())
            actors, actor_ids = (
                list(line_data.get("actors") or []),
                list(line_data.get("actor_ids") or []),
            )
            key = _actor_key(actor)
            if key and key not in actor_ids:
                actor_ids.append(key)
                actors.append(name)
            line_data.update(url=url, actor_name=name, actors=actors, actor_ids=actor_ids)
            line.data = line_data
            line.verb = verb[:255]
            line.actor_content_type = actor_type
            line.actor_object_id = str(actor.pk)
            line.timestamp = max(line.timestamp, when)
            updated.append(line)
        if updated:
            Notification.objects.bulk_update(
                updated, ["data", "verb", "actor_content_type", "actor_object_id", "timestamp"]
            )
        created = Notification.objects.bulk_create(
            [
                Notification(
                    recipient=user,
                    actor_content_type=actor_type,
                    actor_object_id=str(actor.pk),
                    verb=verb[:255],
                    target_content_type=target_type,
                    target_object_id=str(target.pk) if target is not None else None,
                    timestamp=when,
                    data=data,
                )
                for user in users
                if user.pk not in existing
            ]
        )
    return updated + created


def _lock_groups(*, kind, users, target_type, target_pk) -> dict:
    """recipient id → their unread line of `kind` on the target, locked for this transaction.

    A transaction-level advisory lock per (kind, target) first: two events on the same object
    told at the same time are grouped one after the other (the row lock alone would not stop
    both from inserting a first line)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                [f"activity.group:{kind}:{target_type.pk}:{target_pk}"],
            )
    lines = (
        Notification.objects.select_for_update()
        .filter(
            recipient__in=[user.pk for user in users],
            unread=True,
            deleted=False,
            target_content_type=target_type,
            target_object_id=target_pk,
            data__kind=str(kind),
        )
        .order_by("recipient_id", "-timestamp", "-pk")
    )
    groups = {}
    for line in lines:
        groups.setdefault(line.recipient_id, line)  # the newest one if there are several
    return groups


def queue_email(
    *,
    kind,
    users: list,
    subject: str,
    text_body: str,
    html_body: str = "",
    url: str = "",
    notifications: list | None = None,
    key: str | None = None,
    immediate: bool = False,
) -> int:
    """Queue one email to the `users` who did not turn `kind` off; return how many.

    With a `key`, the email is built once: calling again (a re-run cron job) adds only the
    recipients that do not have it yet. An `immediate` email (a notification's) is not sent to
    the users who chose the daily digest: `send_notification_digest` tells them.
    """
    user_ids = [user.pk for user in users]
    skipped = preferences.opted_out_user_ids(user_ids, kind)
    if immediate:
        skipped |= preferences.daily_user_ids(user_ids)
    wanted = [user for user in users if user.pk not in skipped and user.email]
    if not wanted:
        return 0
    fields = {
        "kind": str(kind),
        "subject": " ".join(str(subject).split())[:255],
        "text_body": text_body,
        "html_body": html_body,
        "url": url,
    }
    if key:
        email, _ = OutgoingEmail.objects.get_or_create(key=key, defaults=fields)
    else:
        email = OutgoingEmail.objects.create(**fields)
    by_user = {n.recipient_id: n.pk for n in notifications or []}
    deliveries = EmailDelivery.objects.bulk_create(
        [
            EmailDelivery(email=email, recipient=user, notification_id=by_user.get(user.pk))
            for user in wanted
        ],
        ignore_conflicts=bool(key),
    )
    if key:  # with ignore_conflicts, PostgreSQL does not return the ids: read them back
        created = list(
            EmailDelivery.objects.pending()
            .filter(email=email, attempts=0, recipient__in=[user.pk for user in wanted])
            .values_list("pk", flat=True)
        )
    else:
        created = [delivery.pk for delivery in deliveries]
    emails.enqueue_deliveries(sorted(created))
    return len(created)


def email_recipients(users: Iterable, kind) -> list:
    """[(user, unsubscribe_path)] for the `users` who did not turn emails of `kind` off (one
    query): for an app that writes its own emails (the directory's access requests)."""
    users = list(users)
    opted_out = preferences.opted_out_user_ids([user.pk for user in users], kind)
    return [
        (user, preferences.unsubscribe_path(user, kind))
        for user in users
        if user.pk not in opted_out
    ]


#: What this app registers as the platform's notification delivery (`core.notifications`).
DELIVERY = Delivery(
    notify=notify,
    create_notifications=create_notifications,
    email_recipients=email_recipients,
)


def mark_read(*, notification) -> None:
    """Mark one notification read (the one way the screens and the API do it)."""
    if notification.unread:
        notification.mark_as_read()


def mark_all_read(*, user) -> int:
    """Mark every unread notification of `user` read (those they deleted aside); how many were.
    The one way the screens and the API do it."""
    return Notification.objects.filter(recipient=user, deleted=False, unread=True).update(
        unread=False
    )
