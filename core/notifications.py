"""Telling users of an event: the port every app calls, whatever its layer.

Each app decides *who* is told (its own `notifications.py`, tested there) and calls `notify()`
here with the recipients. The delivery itself — in-app notifications, emails according to each
recipient's preferences, one-click unsubscribe links, daily digests — belongs to the `activity`
app, which sits high in the layers because its feed, home and summaries read the sites, the
journal and the forum. So that the directory, the journal and the forum may tell users without
importing it, `activity` registers its delivery here when it starts (`ActivityConfig.ready`).

The kinds of notification are listed here for the same reason: every app names the kind it
sends, and each kind is an email preference of the recipients.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
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
    ACTION_PILOT_REQUEST = (
        "action_pilot_request",
        _("Requests to become a pilot of my actions, and the answers to mine"),
    )
    SITE_ACTOR_INVITATION = (
        "site_actor_invitation",
        _("Invitations to become an actor of a site"),
    )
    SITE_ACTOR_JOINED = (
        "site_actor_joined",
        _("A new actor on a site where I am an actor"),
    )
    DAILY_DIGEST = "daily_digest", _("Daily digest of my notifications")


@dataclass(frozen=True)
class Delivery:
    """What the delivering app provides (see `activity.services` for the contracts)."""

    #: notify(*, kind, recipients, actor, verb, target=None, url="", email_subject="",
    #: email_template="", email_context=None, occurred_at=None) -> int: in-app + email.
    notify: Callable[..., int]
    #: create_notifications(*, kind, users, actor, verb, target=None, url="") -> list:
    #: in-app notifications only, for an app that writes its own emails.
    create_notifications: Callable[..., list]
    #: email_recipients(users, kind) -> [(user, unsubscribe_path)]: the users who did not
    #: turn `kind` off, each with their one-click unsubscribe path.
    email_recipients: Callable[[Iterable, str], list]


_delivery: Delivery | None = None


def register(delivery: Delivery) -> None:
    global _delivery
    _delivery = delivery


def _registered() -> Delivery:
    if _delivery is None:
        raise ImproperlyConfigured(
            "No notification delivery is registered: the 'activity' app must be installed."
        )
    return _delivery


def notify(**kwargs) -> int:
    """Notify recipients of an event, in the platform and by email; return how many."""
    return _registered().notify(**kwargs)


def create_notifications(**kwargs) -> list:
    """In-app notifications only (the caller sends its own emails)."""
    return _registered().create_notifications(**kwargs)


def email_recipients(users: Iterable, kind: str) -> list:
    """[(user, unsubscribe_path)] for the `users` who want emails of `kind`."""
    return _registered().email_recipients(users, kind)
