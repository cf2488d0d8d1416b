"""Email preferences per notification kind (enabled unless the user said otherwise) and the
signed one-click unsubscribe links."""

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from activity.enums import ADMIN_KINDS, HIDDEN_KINDS, EmailFrequency, NotificationKind
from activity.models import EmailPreference, EmailSchedule
from directory import perms

UNSUBSCRIBE_SALT = "activity.unsubscribe"


def opted_out_user_ids(user_ids, kind: str) -> set[int]:
    """Among `user_ids`, those who turned off emails of `kind` (one query)."""
    return set(
        EmailPreference.objects.filter(
            user_id__in=list(user_ids), kind=kind, enabled=False
        ).values_list("user_id", flat=True)
    )


def email_wanted(user, kind: str) -> bool:
    return not opted_out_user_ids([user.pk], kind)


def kinds_for(user) -> list[NotificationKind]:
    """The kinds a user may choose from (administrators' kinds only for administrators)."""
    return [
        kind
        for kind in NotificationKind
        if kind not in HIDDEN_KINDS and (kind not in ADMIN_KINDS or perms.is_admin(user))
    ]


def preferences_of(user) -> dict[str, bool]:
    """kind → enabled, for every kind the user may choose from."""
    saved = dict(EmailPreference.objects.filter(user=user).values_list("kind", "enabled"))
    return {kind.value: saved.get(kind.value, True) for kind in kinds_for(user)}


@transaction.atomic
def set_preference(user, kind: str, enabled: bool) -> None:
    EmailPreference.objects.update_or_create(user=user, kind=kind, defaults={"enabled": enabled})


@transaction.atomic
def set_preferences(user, enabled_kinds) -> None:
    enabled_kinds = set(enabled_kinds)
    for kind in kinds_for(user):
        set_preference(user, kind.value, kind.value in enabled_kinds)


# --- Frequency: immediate emails or a daily digest ---------------------------------------------


def daily_user_ids(user_ids) -> set[int]:
    """Among `user_ids`, those who chose the daily digest (one query)."""
    return set(
        EmailSchedule.objects.filter(
            user_id__in=list(user_ids), frequency=EmailFrequency.DAILY
        ).values_list("user_id", flat=True)
    )


def frequency_of(user) -> str:
    schedule = EmailSchedule.objects.filter(user=user).only("frequency").first()
    return schedule.frequency if schedule else EmailFrequency.IMMEDIATE.value


@transaction.atomic
def set_frequency(user, frequency: str) -> None:
    """Choosing the daily digest starts it now (what came before was emailed at once) and
    turns the digest's own email on again (it may have been unsubscribed from)."""
    frequency = EmailFrequency(frequency)
    schedule, _created = EmailSchedule.objects.select_for_update().get_or_create(user=user)
    if frequency == EmailFrequency.DAILY:
        if schedule.frequency != EmailFrequency.DAILY or schedule.digest_until is None:
            schedule.digest_until = timezone.now()
        set_preference(user, NotificationKind.DAILY_DIGEST.value, True)
    schedule.frequency = frequency.value
    schedule.save()


# --- One-click unsubscribe ---------------------------------------------------------------------


def unsubscribe_token(user, kind: str) -> str:
    """A signed (user, kind) pair: the link works without logging in and never expires."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"u": user.pk, "k": str(kind)})


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) from a token, or None when it was tampered with."""
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
        user_id, kind = int(value["u"]), str(value["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if kind not in NotificationKind.values:
        return None
    return user_id, kind


def unsubscribe_path(user, kind: str) -> str:
    return reverse("activity:unsubscribe", kwargs={"token": unsubscribe_token(user, kind)})
