from django.db import models
from django.utils.translation import gettext_lazy as _

# The kinds are listed in core, so that every app may name the kind it sends.
from core.notifications import NotificationKind

#: Kinds that only administrators receive (hidden from other users' preferences).
ADMIN_KINDS = frozenset({NotificationKind.ACCESS_REQUEST})

#: Kinds that are no event of their own: no checkbox in the preferences (the frequency choice
#: governs the digest), but a one-click unsubscribe link like the others.
HIDDEN_KINDS = frozenset({NotificationKind.DAILY_DIGEST})


class EmailFrequency(models.TextChoices):
    """When a user receives the emails of their notifications."""

    IMMEDIATE = "immediate", _("Immediately")
    DAILY = "daily", _("A digest a day")


#: Kinds that mark a site event in the activity feed.
SITE_KINDS = (
    NotificationKind.SITE_CREATED,
    NotificationKind.SITE_UPDATED,
    NotificationKind.SITE_CLOSED,
)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    # Recorded before the mail server is called: a worker killed from then on leaves the
    # delivery here, and it is never sent again by itself (it may have gone out).
    SENDING = "sending", _("Being sent, or interrupted while being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


#: Kinds whose repeated events on one object make one unread line per recipient (a count, the
#: people, the first time; see `activity.services.create_notifications`).
GROUPED_KINDS = frozenset({NotificationKind.SITE_UPDATED, NotificationKind.FORUM_ANSWER})
