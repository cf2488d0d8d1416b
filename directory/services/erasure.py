"""Erasure on request (GDPR): anonymising an account.

The names, email address, phone and position of the person are replaced, the account can no
longer log in, its sessions end; what the person wrote stays, with « Utilisateur anonymisé » as
author (the views show the account's name, which is now that). Personal traces kept elsewhere
(access requests, the audit log's labels, the sign-in log, authenticator devices) are erased or
replaced here; the apps above the directory erase theirs through the `user_anonymized` signal
(notifications and stored emails: `activity.receivers`). Irreversible.

Accounts closed by their owner are anonymised after `ANONYMIZATION_GRACE` by the daily command
`anonymize_closed_accounts`.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Replace
from django.dispatch import Signal
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from directory.enums import UserStatus
from directory.models import AccessRequest, SignInEvent, User

ACTION_ANONYMIZE = "directory.user.anonymize"

#: How long an account closed by its owner waits before it is anonymised.
ANONYMIZATION_GRACE = timedelta(days=30)

#: The name an anonymised account shows (stored data, in the platform's language).
ANONYMOUS_FIRST_NAME = "Utilisateur"
ANONYMOUS_LAST_NAME = "anonymisé"
ANONYMOUS_EMAIL_DOMAIN = "anonymise.invalid"

#: Sent after an account was anonymised, in the same transaction: `user` (already anonymised)
#: and `former`, the strings that identified the person (full names, email address), which the
#: receivers replace by `replacement` wherever they keep copies of them.
user_anonymized = Signal()


class AnonymizationError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def anonymous_email(user: User) -> str:
    return f"anonyme-{user.pk}@{ANONYMOUS_EMAIL_DOMAIN}"


def former_identifiers(user: User) -> list[str]:
    """The strings that name the person, longest first (so that replacing one never leaves a
    part of a longer one)."""
    candidates = {
        user.email,
        f"{user.first_name} {user.last_name}".strip(),
        f"{user.last_name} {user.first_name}".strip(),
        f"{user.last_name.upper()} {user.first_name}".strip(),
    }
    return sorted((value for value in candidates if len(value) >= 3), key=len, reverse=True)


def replace_everywhere(queryset, fields, former, replacement) -> None:
    """Replace each former identifier in the text `fields` of the rows of `queryset`."""
    for value in former:
        for name in fields:
            queryset.filter(**{f"{name}__contains": value}).update(
                **{name: Replace(name, Value(value), Value(replacement))}
            )


@transaction.atomic
def anonymize_user(*, user: User, by: User | None) -> User:
    """Anonymise the account (`by` None: the scheduled command). Irreversible."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.anonymized_at is not None:
        raise AnonymizationError("already anonymised")
    if user.is_superuser:
        raise AnonymizationError("superusers are not anonymised")
    former = former_identifiers(user)
    former_email = user.email
    replacement = f"{ANONYMOUS_FIRST_NAME} {ANONYMOUS_LAST_NAME}"

    user.first_name = ANONYMOUS_FIRST_NAME
    user.last_name = ANONYMOUS_LAST_NAME
    user.email = anonymous_email(user)
    user.phone = ""
    user.position = ""
    user.admin_comments = ""
    user.expertise_topics = []
    user.interest_topics = []
    user.options = []
    user.status = UserStatus.INACTIVE
    user.is_active = False
    user.is_staff = False
    user.anonymized_at = timezone.now()
    user.set_unusable_password()  # with is_active False: every session ends on save
    user.save()

    # Authenticator devices and the sign-in log (client addresses).
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    SignInEvent.objects.filter(user=user).delete()

    # The access requests that created the account or came from the same address.
    requests = AccessRequest.objects.filter(user=user) | AccessRequest.objects.filter(
        email__iexact=former_email
    )
    request_ids = list(requests.values_list("pk", flat=True))
    AccessRequest.objects.filter(pk__in=request_ids).update(
        first_name=ANONYMOUS_FIRST_NAME,
        last_name=ANONYMOUS_LAST_NAME,
        email=user.email,
        phone="",
        position="",
        reason="",
        decision_message="",
    )
    replace_everywhere(
        AccessRequest.objects.filter(pk__in=request_ids),
        ["new_organization_name"],
        former,
        replacement,
    )

    # The audit log keeps a label (the object's name when logged) and some data.
    replace_everywhere(ModelLogEntry.objects.all(), ["label"], former, replacement)
    for entry in ModelLogEntry.objects.filter(data__icontains=former_email):
        entry.data = scrub(entry.data, former, replacement)
        entry.save(update_fields=["data"])

    _scrub_queued_tasks(former, former_email, replacement)

    user_anonymized.send(sender=User, user=user, former=former, replacement=replacement)
    log(
        instance=user,
        action=ACTION_ANONYMIZE,
        user=by,
        data={"closed_by_owner": user.closed_at is not None, "scheduled": by is None},
    )
    return user


def _scrub_queued_tasks(former, former_email, replacement) -> None:
    """The background tasks keep their arguments (an email's text, its recipient): an email
    still waiting for the person is dropped, the others lose the former identifiers."""
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.none()
    for value in former:
        rows = rows | DBTaskResult.objects.filter(args_kwargs__icontains=value)
        rows = rows | DBTaskResult.objects.filter(return_value__icontains=value)
    for row in rows.distinct():
        kwargs = (row.args_kwargs or {}).get("kwargs") or {}
        if row.status == "READY" and former_email in (kwargs.get("to") or []):
            row.delete()
            continue
        row.args_kwargs = scrub(row.args_kwargs, former, replacement)
        row.return_value = scrub(row.return_value, former, replacement)
        row.save(update_fields=["args_kwargs", "return_value"])


def scrub(value, former, replacement):
    if isinstance(value, str):
        for item in former:
            value = value.replace(item, replacement)
        return value
    if isinstance(value, list):
        return [scrub(item, former, replacement) for item in value]
    if isinstance(value, dict):
        return {key: scrub(item, former, replacement) for key, item in value.items()}
    return value


def closed_accounts_due(now=None):
    """Accounts closed by their owner longer ago than the grace period, not yet anonymised."""
    now = now or timezone.now()
    return User.objects.filter(
        closed_at__lte=now - ANONYMIZATION_GRACE, anonymized_at__isnull=True, is_active=False
    )


def anonymize_closed_accounts(now=None) -> int:
    count = 0
    for user in closed_accounts_due(now):
        anonymize_user(user=user, by=None)
        count += 1
    return count
