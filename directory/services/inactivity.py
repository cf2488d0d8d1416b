"""Accounts idle for six months are warned, then deactivated a month later.

See docs/domain.md#users-and-roles (inactivity) and the daily job in
docs/operations.md#scheduled-commands.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from core.tasks import send_email
from directory.enums import UserStatus
from directory.models import User

IDLE_BEFORE_WARNING = timedelta(days=183)
WARNING_BEFORE_DEACTIVATION = timedelta(days=30)


@dataclass
class InactivityReport:
    warned: int = 0
    deactivated: int = 0


def _active_accounts():
    return User.objects.filter(
        is_active=True, status=UserStatus.ACTIVE, is_superuser=False
    ).annotate(
        seen=Greatest(
            Coalesce(F("last_access"), F("date_joined")),
            Coalesce(F("last_login"), F("date_joined")),
        )
    )


def _email(user, template, context):
    context = {"user": user, "platform_name": settings.PLATFORM_NAME, **context}
    send_email.enqueue(
        subject=render_to_string(f"directory/emails/{template}_subject.txt", context).strip(),
        body=render_to_string(f"directory/emails/{template}.txt", context),
        to=[user.email],
    )


def process_inactive_accounts(*, now=None, dry_run: bool = False) -> InactivityReport:
    """Warn idle accounts once, deactivate those still idle a month after the warning."""
    now = now or timezone.now()
    report = InactivityReport()
    login_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("login")

    to_warn = _active_accounts().filter(
        seen__lt=now - IDLE_BEFORE_WARNING, inactivity_warned_at__isnull=True
    )
    to_deactivate = _active_accounts().filter(
        Q(inactivity_warned_at__lt=now - WARNING_BEFORE_DEACTIVATION),
        seen__lt=F("inactivity_warned_at"),
    )
    for user in to_deactivate:
        report.deactivated += 1
        if dry_run:
            continue
        with transaction.atomic():
            user.status = UserStatus.INACTIVE
            user.is_active = False
            user.save(update_fields=["status", "is_active"])
            log(
                instance=user,
                action="directory.user.deactivate",
                data={"reason": "inactivity", "warned_at": user.inactivity_warned_at.isoformat()},
            )
            _email(user, "inactivity_deactivated", {"login_url": login_url})
    for user in to_warn:
        report.warned += 1
        if dry_run:
            continue
        with transaction.atomic():
            user.inactivity_warned_at = now
            user.save(update_fields=["inactivity_warned_at"])
            _email(
                user,
                "inactivity_warning",
                {
                    "login_url": login_url,
                    "deadline": now + WARNING_BEFORE_DEACTIVATION,
                },
            )
    return report
