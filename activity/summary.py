"""The weekly summary: figures of one territory for one week, and who receives which variant.

Variants: one per department; users whose main area is a region receive their region's, users
whose main area is the nation the national one; a commune or EPCI main area gives its department.
Figures (`figures()`), for the 7 days before `end`:
- sites declared (first published), closed (`closed_at` in the week) and updated (published again,
  declared before the week) during the week;
- journal messages posted (when the journal app is installed), published ones only;
- new users: active accounts created during the week whose own areas lie in the territory;
- open sites and the people living there (sum of the known counts);
- share of open sites whose information is less than 6 months old (`updated_at`, or the
  declaration date when never updated).
Only users who may read statistics on the territory (`Feature.STATS_READ`) and kept the
`WEEKLY_SUMMARY` emails receive it.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from directory import perms
from directory.enums import TerritoryLevel
from directory.models import Department, User
from directory.permission_matrix import Feature
from sitepages.models import SitePage

UP_TO_DATE_DAYS = 183


@dataclass
class Scope:
    """A territory of the summary: the nation (departments None), a region or a department."""

    key: str
    name: str
    level: str
    departments: list[str] | None = None
    region: str | None = None
    territory: object = None

    @classmethod
    def nation(cls):
        return cls(key="FR", name="France", level=TerritoryLevel.NATION)

    @classmethod
    def for_region(cls, region):
        codes = list(region.departments.values_list("code", flat=True))
        return cls(
            key=f"R{region.code}",
            name=region.name,
            level=TerritoryLevel.REGION,
            departments=codes,
            region=region.code,
            territory=region,
        )

    @classmethod
    def for_department(cls, department):
        return cls(
            key=f"D{department.code}",
            name=department.name,
            level=TerritoryLevel.DEPARTMENT,
            departments=[department.code],
            territory=department,
        )


@dataclass
class Figures:
    start: datetime
    end: datetime
    new_sites: int = 0
    closed_sites: int = 0
    updated_sites: int = 0
    new_entries: int | None = None
    new_users: int = 0
    open_sites: int = 0
    people: int = 0
    up_to_date_sites: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def up_to_date_share(self) -> int | None:
        """Percentage (rounded) of open sites updated within 6 months; None without sites."""
        if not self.open_sites:
            return None
        return round(100 * self.up_to_date_sites / self.open_sites)


def week_ending(day) -> tuple[datetime, datetime]:
    """[start, end): the 7 days before `day` at midnight (local time)."""
    end = timezone.make_aware(datetime.combine(day, time.min))
    return end - timedelta(days=7), end


def _site_filter(scope: Scope, path: str = "commune") -> Q:
    if scope.departments is None:
        return Q()
    return Q(**{f"{path}__department_id__in": scope.departments})


def _user_area_q(scope: Scope) -> Q:
    """Users with one of their own areas in the territory."""
    if scope.departments is None:
        return Q()
    codes = scope.departments
    query = (
        Q(intervention_areas__department_id__in=codes)
        | Q(intervention_areas__commune__department_id__in=codes)
        | Q(intervention_areas__epci__communes__department_id__in=codes)
    )
    if scope.region:
        query |= Q(intervention_areas__region_id=scope.region)
    return query


def figures(scope: Scope, *, start: datetime, end: datetime) -> Figures:
    sites = SitePage.objects.live().filter(_site_filter(scope))
    recent = end.date() - timedelta(days=UP_TO_DATE_DAYS)
    counts = sites.aggregate(
        new_sites=Count("pk", filter=Q(first_published_at__gte=start, first_published_at__lt=end)),
        closed_sites=Count("pk", filter=Q(closed_at__gte=start.date(), closed_at__lt=end.date())),
        updated_sites=Count(
            "pk",
            filter=Q(
                last_published_at__gte=start,
                last_published_at__lt=end,
                first_published_at__lt=start,
            ),
        ),
        open_sites=Count("pk", filter=Q(closed_at__isnull=True)),
        people=Coalesce(Sum("people", filter=Q(closed_at__isnull=True)), 0),
        up_to_date_sites=Count(
            "pk",
            filter=Q(closed_at__isnull=True)
            & (Q(updated_at__gte=recent) | Q(updated_at__isnull=True, declared_at__gte=recent)),
        ),
    )
    result = Figures(start=start, end=end, **counts)
    try:
        entry_model = apps.get_model("journal", "Entry")
    except LookupError:
        entry_model = None
    if entry_model is not None:
        entries = entry_model.objects.filter(
            _site_filter(scope, "site__commune"), created_at__gte=start, created_at__lt=end
        )
        if any(f.name == "state" for f in entry_model._meta.get_fields()):
            entries = entries.filter(state="published")
        result.new_entries = entries.count()
    result.new_users = (
        User.objects.active()
        .filter(date_joined__gte=start, date_joined__lt=end)
        .filter(
            pk__in=User.objects.filter(_user_area_q(scope)).values("pk")
            if scope.departments is not None
            else User.objects.values("pk")
        )
        .count()
    )
    return result


# --- Recipients ---------------------------------------------------------------------------------


def scope_of(user) -> Scope | None:
    """The variant a user receives, from their main area (None without any area)."""
    main = perms.areas_of(user).main
    if main is None:
        return None
    if main.level == TerritoryLevel.NATION:
        return Scope.nation()
    if main.level == TerritoryLevel.REGION:
        return Scope.for_region(main.region)
    if main.level == TerritoryLevel.DEPARTMENT:
        return Scope.for_department(main.department)
    if main.level == TerritoryLevel.COMMUNE:
        return Scope.for_department(main.commune.department)
    department = Department.objects.filter(communes__epci_id=main.epci_id).order_by("code").first()
    return Scope.for_department(department) if department else None


def may_receive(user, scope: Scope) -> bool:
    place = perms.NATION if scope.level == TerritoryLevel.NATION else scope.territory
    return perms.can(user, Feature.STATS_READ, place)


def recipients_by_scope(*, department: str | None = None) -> dict[str, tuple[Scope, list]]:
    """scope key → (scope, users), for active users who may read the figures; with
    `department`, only that department's variant."""
    from activity.enums import NotificationKind
    from activity.preferences import opted_out_user_ids

    users = list(User.objects.active().select_related("organization").order_by("pk"))
    opted_out = opted_out_user_ids([u.pk for u in users], NotificationKind.WEEKLY_SUMMARY)
    groups: dict[str, tuple[Scope, list]] = {}
    for user in users:
        if user.pk in opted_out or not user.email:
            continue
        scope = scope_of(user)
        if scope is None or (department and scope.key != f"D{department}"):
            continue
        if not may_receive(user, scope):
            continue
        groups.setdefault(scope.key, (scope, []))[1].append(user)
    return groups
