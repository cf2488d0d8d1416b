"""The accounts of an administrator's territory: the list and its filters, the export, the
reminders to those who never activated their account.

The caller checks the feature (USER_CREATE to see the list and remind, USER_EXPORT to export);
`perms.users_q` bounds every queryset to the territory."""

from datetime import timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core import spreadsheets
from directory import perms
from directory.enums import AccessRequestStatus, Topic, UserStatus
from directory.models import AccessRequest, InterventionArea, User
from directory.permission_matrix import Feature
from directory.services import access_requests

ACTION_EXPORT = "directory.user.export"
ACTION_REMIND = "directory.user.remind_activation"

#: Filter values of the last access.
ACCESS_NEVER = "never"
ACCESS_3_MONTHS = "3m"
ACCESS_6_MONTHS = "6m"
ACCESS_AGES = {ACCESS_3_MONTHS: timedelta(days=91), ACCESS_6_MONTHS: timedelta(days=183)}

#: Cells a spreadsheet would evaluate as a formula start with one of these (OWASP).


def accounts_of(admin, feature: str = Feature.USER_CREATE):
    """The accounts of the admin's territory (anonymised ones left out)."""
    return (
        User.objects.filter(perms.users_q(admin, feature))
        .filter(anonymized_at__isnull=True, is_superuser=False)
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "intervention_areas",
                queryset=InterventionArea.objects.select_related(
                    "region", "department", "epci", "commune"
                ),
                to_attr="own_areas",
            )
        )
        .order_by("last_name", "first_name", "pk")
    )


def filter_accounts(queryset, *, status="", role="", organization=None, last_access="", now=None):
    now = now or timezone.now()
    if status:
        queryset = queryset.filter(status=status)
    if role:
        queryset = queryset.filter(role=role)
    if organization is not None:
        queryset = queryset.filter(organization=organization)
    if last_access == ACCESS_NEVER:
        queryset = queryset.filter(last_access__isnull=True)
    elif last_access in ACCESS_AGES:
        queryset = queryset.filter(
            Q(last_access__lt=now - ACCESS_AGES[last_access]) | Q(last_access__isnull=True)
        )
    return queryset


# --- Export -------------------------------------------------------------------------------------


def _main_area(user) -> str:
    rows = getattr(user, "own_areas", [])
    main = next((area for area in rows if area.is_main), None) or (rows[0] if rows else None)
    return str(main) if main is not None else ""


def build_export(users) -> spreadsheets.Export:
    headers = [
        _("Last name"),
        _("First name"),
        _("Email address"),
        _("Phone"),
        _("Organisation"),
        _("Position"),
        _("Role"),
        _("Main intervention area"),
        _("Expertise topics"),
        _("Status"),
        _("Last access"),
    ]
    topics = dict(Topic.choices)
    rows = []
    for user in users:
        rows.append(
            [
                user.last_name,
                user.first_name,
                user.email,
                user.phone,
                user.organization.name if user.organization_id else "",
                user.position,
                str(user.get_role_display()),
                _main_area(user),
                ", ".join(str(topics.get(topic, topic)) for topic in user.expertise_topics or []),
                str(user.get_status_display()),
                timezone.localtime(user.last_access).date() if user.last_access else None,
            ]
        )
    return spreadsheets.Export(headers=[str(header) for header in headers], rows=rows)


def export_users(*, admin, users, file_format: str, filters: dict) -> bytes:
    """The file, and an audit entry on the admin's account (who exported how many, how)."""
    export = build_export(users)
    content = (
        spreadsheets.to_xlsx(export, sheet_title=_("Users"), freeze="A2")
        if file_format == "xlsx"
        else spreadsheets.to_csv(export)
    )
    log(
        instance=admin,
        action=ACTION_EXPORT,
        user=admin,
        data={"format": file_format, "count": len(export.rows), "filters": filters},
    )
    return content


# --- Reminders ----------------------------------------------------------------------------------


def remind_unactivated(*, admin, users, base_url=None) -> int:
    """Send a new activation link to each of `users` still waiting for an activation; return
    how many were reminded."""
    reminded = 0
    requests = AccessRequest.objects.filter(
        user__in=[user for user in users if user.status == UserStatus.NEW],
        status__in=[AccessRequestStatus.APPROVED, AccessRequestStatus.EXPIRED],
    ).select_related("user")
    for access_request in requests:
        if not perms.can_decide_access_request(admin, access_request):
            continue
        try:
            access_requests.resend_activation(
                access_request=access_request, admin=admin, base_url=base_url
            )
        except access_requests.AccessRequestError:
            continue
        log(instance=access_request.user, action=ACTION_REMIND, user=admin, data={})
        reminded += 1
    return reminded
