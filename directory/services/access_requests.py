"""Access requests: submission, decision, activation of the account, reminders and expiry.

The views check who may call what (directory.perms); these functions keep the data consistent,
record each decision in Wagtail's audit log and queue the emails (directory.notifications).
Keyword-only arguments. `base_url` (e.g. "https://resorption-bidonvilles.example") prefixes the
links put in emails; it defaults to WAGTAILADMIN_BASE_URL.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from directory import notifications, perms
from directory.enums import AccessRequestStatus, TerritoryLevel, UserStatus
from directory.models import AccessRequest, InterventionArea, Organization, User

logger = logging.getLogger(__name__)

#: The audit actions of this module (their labels: directory/audit.py).
ACTION_APPROVE = "directory.access_request.approve"
ACTION_REFUSE = "directory.access_request.refuse"
ACTION_RESEND_ACTIVATION = "directory.access_request.resend_activation"
ACTION_ACTIVATE = "directory.access_request.activate"
#: An administrator created the account directly (logged on the account).
ACTION_CREATE_ACCOUNT = "directory.user.create"
ACTIONS = (ACTION_APPROVE, ACTION_REFUSE, ACTION_RESEND_ACTIVATION, ACTION_ACTIVATE)

#: How long an activation link stays valid after it was sent.
ACTIVATION_VALIDITY = timedelta(days=8)
#: Ages of a pending request at which its deciders are reminded (first, second reminder).
DECIDER_REMINDER_AGES = (timedelta(days=3), timedelta(days=10))
#: Age of an unused activation link at which the applicant is reminded.
APPLICANT_REMINDER_AGE = timedelta(days=5)

ACTIVATION_SALT = "directory.access_request.activation"


class AccessRequestError(Exception):
    """An operation that the current state of the request forbids; `message` says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- Submission ---------------------------------------------------------------------------------


@transaction.atomic
def submit_access_request(
    *,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
    position: str,
    organization: Organization | None = None,
    new_organization_name: str = "",
    new_organization_category: str = "",
    new_organization_type=None,
    territory=None,
    reason: str,
    base_url: str | None = None,
) -> AccessRequest:
    """Record a request (territory None = the whole country), acknowledge it to the applicant
    and tell its deciders."""
    if organization is None and not (
        new_organization_name and new_organization_category and new_organization_type
    ):
        raise ValueError("An organisation, or the name, category and type of a new one.")
    access_request = AccessRequest(
        first_name=first_name,
        last_name=last_name,
        email=email.strip().lower(),
        phone=phone,
        position=position,
        organization=organization,
        new_organization_name="" if organization else new_organization_name,
        new_organization_category="" if organization else new_organization_category,
        new_organization_type=None if organization else new_organization_type,
        reason=reason,
    )
    _set_territory(access_request, territory)
    access_request.save()
    notifications.access_request_received(access_request)
    deciders = perms.access_request_deciders(access_request)
    if not deciders:
        logger.warning("Access request %s: nobody can decide it.", access_request.pk)
    notifications.access_request_to_decide(access_request, deciders=deciders, base_url=base_url)
    return access_request


def request_access(*, email: str, base_url: str | None = None, **data) -> AccessRequest | None:
    """What the public form does with a valid submission: record a new request, or — when the
    address already has an account or a pending request — tell the owner of the address by email
    and record nothing. The caller answers the sender the same way in every case."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        kind = "awaiting_activation" if user.status == UserStatus.NEW else "account_exists"
        notifications.access_request_repeated(email, kind=kind, base_url=base_url)
        return None
    if AccessRequest.objects.filter(
        email__iexact=email, status=AccessRequestStatus.PENDING
    ).exists():
        notifications.access_request_repeated(email, kind="already_pending", base_url=base_url)
        return None
    return submit_access_request(email=email, base_url=base_url, **data)


def _set_territory(access_request: AccessRequest, territory) -> None:
    access_request.region = access_request.department = None
    access_request.epci = access_request.commune = None
    if territory is None:
        access_request.territory_level = TerritoryLevel.NATION
        return
    access_request.territory_level = territory.level
    setattr(access_request, str(territory.level), territory)


# --- Decision -----------------------------------------------------------------------------------


def _lock(access_request: AccessRequest) -> AccessRequest:
    return (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("organization__type", "new_organization_type", "user")
        .get(pk=access_request.pk)
    )


def default_role(access_request: AccessRequest) -> str | None:
    """The role members of the request's organisation type usually get."""
    organization_type = (
        access_request.organization.type
        if access_request.organization_id
        else access_request.new_organization_type
    )
    return organization_type.default_role if organization_type else None


@transaction.atomic
def approve_access_request(
    *,
    access_request: AccessRequest,
    admin: User,
    role: str,
    base_url: str | None = None,
    notify: bool = True,
) -> User:
    """Create the organisation when it is new, the account (status new, no usable password) with
    its main intervention area, and email the applicant an activation link (`notify` False: the
    caller sends its own)."""
    locked = _lock(access_request)
    _check_decidable(locked, admin)
    if role not in perms.grantable_roles(admin):
        raise AccessRequestError(_("You cannot give this role."))
    if User.objects.filter(email__iexact=locked.email).exists():
        raise AccessRequestError(_("An account already exists with this email address."))
    territory = locked.territory
    if locked.territory_level != TerritoryLevel.NATION and territory is None:
        raise AccessRequestError(_("The territory of this request no longer exists."))

    organization = locked.organization
    organization_created = organization is None
    if organization_created:
        organization = Organization.objects.create(
            name=locked.new_organization_name,
            category=locked.new_organization_category,
            type=locked.new_organization_type,
        )
        InterventionArea.for_territory(territory, is_main=True, organization=organization).save()
        locked.organization = organization
    user = User.objects.create_user(
        email=locked.email,
        password=None,
        first_name=locked.first_name,
        last_name=locked.last_name,
        phone=locked.phone,
        position=locked.position,
        organization=organization,
        role=role,
        status=UserStatus.NEW,
    )
    InterventionArea.for_territory(territory, is_main=True, user=user).save()

    now = timezone.now()
    locked.status = AccessRequestStatus.APPROVED
    locked.decided_at = now
    locked.decided_by = admin
    locked.user = user
    locked.activation_sent_at = now
    locked.save()
    log(
        instance=locked,
        action=ACTION_APPROVE,
        user=admin,
        data={
            "role": role,
            "user_id": user.pk,
            "organization_id": organization.pk,
            "organization_created": organization_created,
        },
    )
    if notify:
        notifications.access_request_approved(
            locked,
            activation_url=activation_path(locked),
            expires_at=activation_expires_at(locked),
            base_url=base_url,
        )
    access_request.refresh_from_db()
    return user


@transaction.atomic
def refuse_access_request(*, access_request: AccessRequest, admin: User, message: str) -> None:
    """Refuse the request and email the administrator's message to the applicant."""
    if not message.strip():
        raise AccessRequestError(_("Explain your decision to the applicant."))
    locked = _lock(access_request)
    _check_decidable(locked, admin)
    locked.status = AccessRequestStatus.REFUSED
    locked.decided_at = timezone.now()
    locked.decided_by = admin
    locked.decision_message = message.strip()
    locked.save()
    log(
        instance=locked, action=ACTION_REFUSE, user=admin, data={"message": locked.decision_message}
    )
    notifications.access_request_refused(locked)
    access_request.refresh_from_db()


def _check_decidable(access_request: AccessRequest, admin: User) -> None:
    if not perms.can_decide_access_request(admin, access_request):
        raise PermissionDenied
    if access_request.status != AccessRequestStatus.PENDING:
        raise AccessRequestError(_("This request has already been decided."))


def can_resend_activation(access_request: AccessRequest) -> bool:
    return (
        access_request.status in (AccessRequestStatus.APPROVED, AccessRequestStatus.EXPIRED)
        and access_request.user is not None
        and access_request.user.status == UserStatus.NEW
    )


@transaction.atomic
def resend_activation(
    *, access_request: AccessRequest, admin: User, base_url: str | None = None
) -> None:
    """Send a new activation link (valid 8 days from now); the previous one stops working."""
    locked = _lock(access_request)
    if not perms.can_decide_access_request(admin, locked):
        raise PermissionDenied
    if not can_resend_activation(locked):
        raise AccessRequestError(_("This account does not wait for an activation."))
    locked.status = AccessRequestStatus.APPROVED
    locked.activation_sent_at = timezone.now()
    locked.user_reminder_sent_at = None
    locked.expiry_notified_at = None
    locked.save()
    log(instance=locked, action=ACTION_RESEND_ACTIVATION, user=admin)
    notifications.access_request_approved(
        locked,
        activation_url=activation_path(locked),
        expires_at=activation_expires_at(locked),
        base_url=base_url,
    )
    access_request.refresh_from_db()


# --- Activation ---------------------------------------------------------------------------------


def activation_token(access_request: AccessRequest) -> str:
    """A signed token naming the request and the moment its link was sent.

    The same request gives the same token until a new link is sent (the 5-day reminder repeats
    the link); the link expires 8 days after `activation_sent_at` and stops working once used.
    """
    sent_at = int(access_request.activation_sent_at.timestamp())
    return _signer().sign_object([access_request.pk, sent_at])


def _signer() -> signing.Signer:
    # A plain Signer: the token must not change with the time it is computed at.
    return signing.Signer(salt=ACTIVATION_SALT)


def activation_path(access_request: AccessRequest) -> str:
    return reverse("account_activate", kwargs={"token": activation_token(access_request)})


def activation_expires_at(access_request: AccessRequest):
    return access_request.activation_sent_at + ACTIVATION_VALIDITY


class ActivationState:
    VALID = "valid"
    INVALID = "invalid"  # not a token of ours
    USED = "used"  # the account is already activated
    EXPIRED = "expired"  # too old, or replaced by a newer link, or the request expired


@dataclass
class ActivationCheck:
    state: str
    access_request: AccessRequest | None = None

    @property
    def is_valid(self) -> bool:
        return self.state == ActivationState.VALID


def check_activation_token(token: str, *, now=None) -> ActivationCheck:
    try:
        pk, sent_at = _signer().unsign_object(token)
        pk, sent_at = int(pk), int(sent_at)
    except (signing.BadSignature, TypeError, ValueError):
        return ActivationCheck(ActivationState.INVALID)
    access_request = (
        AccessRequest.objects.select_related("user", "decided_by").filter(pk=pk).first()
    )
    if access_request is None:
        return ActivationCheck(ActivationState.INVALID)
    return ActivationCheck(_activation_state(access_request, sent_at, now), access_request)


def _activation_state(access_request: AccessRequest, sent_at: int, now=None) -> str:
    user = access_request.user
    if access_request.status == AccessRequestStatus.ACTIVATED or (
        user is not None and user.status != UserStatus.NEW
    ):
        return ActivationState.USED
    if user is None or access_request.activation_sent_at is None:
        return ActivationState.INVALID
    if (
        access_request.status != AccessRequestStatus.APPROVED
        or int(access_request.activation_sent_at.timestamp()) != sent_at
        or (now or timezone.now()) > activation_expires_at(access_request)
    ):
        return ActivationState.EXPIRED
    return ActivationState.VALID


@transaction.atomic
def activate_account(*, token: str, password: str) -> User:
    """Set the password chosen by the applicant and open the account (single use)."""
    check = check_activation_token(token)
    if check.access_request is None:
        raise AccessRequestError(_("This activation link is not valid."))
    locked = _lock(check.access_request)
    sent_at = _signer().unsign_object(token)[1]
    if _activation_state(locked, int(sent_at)) != ActivationState.VALID:
        raise AccessRequestError(_("This activation link is no longer valid."))
    user = User.objects.select_for_update().get(pk=locked.user_id)
    user.set_password(password)
    user.status = UserStatus.ACTIVE
    user.is_active = True
    user.save(update_fields=["password", "status", "is_active"])
    locked.status = AccessRequestStatus.ACTIVATED
    locked.activated_at = timezone.now()
    locked.save(update_fields=["status", "activated_at"])
    log(instance=locked, action=ACTION_ACTIVATE, user=user)
    return user


# --- Reminders and expiry (run daily by the access_request_reminders command) -------------------


def send_reminders(*, now=None, base_url: str | None = None) -> dict[str, int]:
    """Remind deciders of requests pending for 3 and 10 days, remind applicants 5 days after the
    approval, expire links unused after 8 days. Each email goes once, however often this runs.
    Returns how many of each were sent."""
    now = now or timezone.now()
    counts = {"decider_reminders": 0, "applicant_reminders": 0, "expired": 0}

    first_age, second_age = DECIDER_REMINDER_AGES
    pending = AccessRequest.objects.filter(
        status=AccessRequestStatus.PENDING,
        admin_reminders_sent__lt=len(DECIDER_REMINDER_AGES),
        created_at__lte=now - first_age,
    ).select_related("region", "department", "epci", "commune__department", "organization")
    for access_request in pending:
        # A request first seen at 10 days gets the second reminder only.
        due = 2 if now - access_request.created_at >= second_age else 1
        if access_request.admin_reminders_sent >= due:
            continue
        with transaction.atomic():
            updated = AccessRequest.objects.filter(
                pk=access_request.pk,
                status=AccessRequestStatus.PENDING,
                admin_reminders_sent=access_request.admin_reminders_sent,
            ).update(admin_reminders_sent=due)
            if updated:
                access_request.admin_reminders_sent = due
                notifications.access_request_reminder(
                    access_request,
                    deciders=perms.access_request_deciders(access_request),
                    days=(now - access_request.created_at).days,
                    base_url=base_url,
                )
                counts["decider_reminders"] += 1

    waiting = AccessRequest.objects.filter(
        status=AccessRequestStatus.APPROVED, user__status=UserStatus.NEW
    ).select_related("user", "decided_by", "region", "department", "epci", "commune__department")
    expired = waiting.filter(
        activation_sent_at__lte=now - ACTIVATION_VALIDITY, expiry_notified_at__isnull=True
    )
    for access_request in expired:
        with transaction.atomic():
            updated = AccessRequest.objects.filter(
                pk=access_request.pk,
                status=AccessRequestStatus.APPROVED,
                activation_sent_at=access_request.activation_sent_at,
                expiry_notified_at__isnull=True,
            ).update(status=AccessRequestStatus.EXPIRED, expiry_notified_at=now)
            if updated:
                access_request.status = AccessRequestStatus.EXPIRED
                access_request.expiry_notified_at = now
                notifications.access_request_expired(
                    access_request,
                    deciders=perms.access_request_deciders(access_request),
                    base_url=base_url,
                )
                counts["expired"] += 1

    to_remind = waiting.filter(
        activation_sent_at__lte=now - APPLICANT_REMINDER_AGE,
        activation_sent_at__gt=now - ACTIVATION_VALIDITY,
        user_reminder_sent_at__isnull=True,
    )
    for access_request in to_remind:
        with transaction.atomic():
            updated = AccessRequest.objects.filter(
                pk=access_request.pk,
                status=AccessRequestStatus.APPROVED,
                user_reminder_sent_at__isnull=True,
            ).update(user_reminder_sent_at=now)
            if updated:
                notifications.activation_reminder(
                    access_request,
                    activation_url=activation_path(access_request),
                    expires_at=activation_expires_at(access_request),
                    base_url=base_url,
                )
                counts["applicant_reminders"] += 1
    return counts


# --- Accounts created by an administrator -------------------------------------------------------


@transaction.atomic
def create_account(
    *, admin: User, role: str, territory=None, base_url: str | None = None, **data
) -> User:
    """An administrator creates an account directly: recorded as an access request approved at
    once (same checks: territory within the admin's, grantable role, unused address), so the
    activation link, its reminder and its expiry work the same. The person gets the link."""
    email = data.pop("email").strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise AccessRequestError(_("An account already exists with this email address."))
    access_request = AccessRequest(
        email=email,
        reason=str(_("Account created by an administrator.")),
        **{
            key: data.get(key) or default
            for key, default in (
                ("first_name", ""),
                ("last_name", ""),
                ("phone", ""),
                ("position", ""),
                ("organization", None),
                ("new_organization_name", ""),
                ("new_organization_category", ""),
                ("new_organization_type", None),
            )
        },
    )
    _set_territory(access_request, territory)
    if not perms.can_decide_access_request(admin, access_request):
        raise PermissionDenied
    access_request.save()
    user = approve_access_request(
        access_request=access_request, admin=admin, role=role, base_url=base_url, notify=False
    )
    access_request.refresh_from_db()
    log(instance=user, action=ACTION_CREATE_ACCOUNT, user=admin, data={"role": role})
    notifications.account_created(
        access_request,
        activation_url=activation_path(access_request),
        expires_at=activation_expires_at(access_request),
        base_url=base_url,
    )
    return user
