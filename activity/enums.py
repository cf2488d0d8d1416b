from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """Every kind of notification the platform sends; each has an email preference."""

    SITE_CREATED = "site_created", _("A site was declared in my territory")
    SITE_UPDATED = "site_updated", _("A site of my territory was updated")
    SITE_CLOSED = "site_closed", _("A site of my territory was closed")
    JOURNAL_ENTRY = "journal_entry", _("A new journal message I may read")
    FORUM_ANSWER = "forum_answer", _("A new answer in a forum question I follow")
    FORUM_NEW_QUESTION = "forum_new_question", _("A new forum question in a theme I follow")
    FORUM_SOLVED = "forum_solved", _("A forum question I answered was marked solved")
    ACCESS_REQUEST = "access_request", _("Access requests to decide (administrators)")
    MODERATION = "moderation", _("Moderation decisions about my messages")
    WEEKLY_SUMMARY = "weekly_summary", _("Weekly summary of my territory")
    ACTION_REMINDER = "action_reminder", _("Reminders to fill in the indicators of my actions")
    DAILY_DIGEST = "daily_digest", _("Daily digest of my notifications")


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
