"""Operations on accounts that the views call (keyword-only arguments): the charter, and what a
user does on their own account — profile, email address (re-verified), closing it.

Every change is recorded in Wagtail's audit log; personal values themselves are not copied into
the log (only which fields changed)."""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from directory import notifications
from directory.enums import UserStatus
from directory.models import CharterVersion, User

ACTION_EDIT_PROFILE = "directory.user.edit_profile"
ACTION_REQUEST_EMAIL_CHANGE = "directory.user.request_email_change"
ACTION_CHANGE_EMAIL = "directory.user.change_email"
ACTION_CLOSE = "directory.user.close"
ACTIONS = (ACTION_EDIT_PROFILE, ACTION_REQUEST_EMAIL_CHANGE, ACTION_CHANGE_EMAIL, ACTION_CLOSE)

#: The profile fields a user edits themself.
PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "position",
    "expertise_topics",
    "interest_topics",
)

EMAIL_CHANGE_SALT = "directory.user.email_change"
#: How long the link confirming a new address stays valid.
EMAIL_CHANGE_VALIDITY = timedelta(days=2)


def accept_charter(*, user: User, charter: CharterVersion) -> None:
    user.charter_version_accepted = charter.version
    user.charter_accepted_at = timezone.now()
    user.save(update_fields=["charter_version_accepted", "charter_accepted_at"])
    log(
        instance=user,
        action="directory.charter.accept",
        user=user,
        data={"version": charter.version},
    )


# --- Profile ------------------------------------------------------------------------------------


@transaction.atomic
def update_profile(*, user: User, by: User, **values) -> list[str]:
    """Write the profile fields given; return the names of those that changed (none: nothing
    written)."""
    changed = []
    for name, value in values.items():
        if name not in PROFILE_FIELDS:
            raise ValueError(f"Not a profile field: {name}")
        if name.endswith("_topics"):
            value = sorted(set(value))
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed.append(name)
    if changed:
        user.save(update_fields=changed)
        log(instance=user, action=ACTION_EDIT_PROFILE, user=by, data={"fields": changed})
    return changed


# --- Email address ------------------------------------------------------------------------------


class EmailChangeError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def email_change_token(user: User, new_email: str) -> str:
    """A signed token naming the account, its current address and the new one: it stops
    working once the address changed (single use) and after EMAIL_CHANGE_VALIDITY."""
    return signing.dumps(
        {"user": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT
    )


def request_email_change(*, user: User, new_email: str, base_url: str | None = None) -> str:
    """Send the confirmation link to the new address and tell the current one. When another
    account already uses the new address, no link goes there (the form said nothing of it)."""
    new_email = new_email.strip().lower()
    token = email_change_token(user, new_email)
    url = notifications.absolute_url(reverse("email_change_confirm", args=[token]), base_url)
    if not User.objects.filter(email__iexact=new_email).exists():
        notifications.email_change_confirm(user, new_email=new_email, confirm_url=url)
    notifications.email_change_requested(user, new_email=new_email)
    log(instance=user, action=ACTION_REQUEST_EMAIL_CHANGE, user=user, data={})
    return token


@dataclass
class EmailChange:
    user: User
    new_email: str


def check_email_change_token(token: str) -> EmailChange:
    """The change a token asks for; EmailChangeError when it is forged, expired or used."""
    from django.utils.translation import gettext as _

    try:
        data = signing.loads(
            token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_VALIDITY.total_seconds()
        )
    except signing.SignatureExpired:
        raise EmailChangeError(_("This link has expired: ask for the change again.")) from None
    except signing.BadSignature:
        raise EmailChangeError(_("This link is not valid.")) from None
    user = User.objects.filter(pk=data.get("user")).first()
    if user is None or user.email != data.get("old") or not user.is_active:
        raise EmailChangeError(_("This link was already used or is no longer valid."))
    new_email = data.get("new", "")
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise EmailChangeError(_("This address is already used by another account."))
    return EmailChange(user=user, new_email=new_email)


@transaction.atomic
def confirm_email_change(*, token: str) -> User:
    change = check_email_change_token(token)
    user = User.objects.select_for_update().get(pk=change.user.pk)
    old_email = user.email
    user.email = change.new_email
    user.save(update_fields=["email"])
    log(instance=user, action=ACTION_CHANGE_EMAIL, user=user, data={})
    notifications.email_changed(user, old_email=old_email)
    return user


# --- Closing ------------------------------------------------------------------------------------


@transaction.atomic
def close_account(*, user: User) -> None:
    """The owner closes their account: it can no longer log in, every session ends, and it is
    anonymised after the grace period (`anonymize_closed_accounts`)."""
    user.status = UserStatus.INACTIVE
    user.is_active = False
    user.closed_at = timezone.now()
    user.save(update_fields=["status", "is_active", "closed_at"])
    log(instance=user, action=ACTION_CLOSE, user=user, data={})
