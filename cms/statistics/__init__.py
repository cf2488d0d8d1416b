"""Public statistics: aggregates of the sites, their closings and the use of the platform.

Only aggregates leave this module, and only after **statistical suppression**: a cell counting
fewer than `PEOPLE_THRESHOLD` people or `SITES_THRESHOLD` sites is published as "< 10" / "< 3"
(zero is published: it reveals nobody). When a series is published with its total and exactly one
of its cells is suppressed, the smallest other non-zero cell is suppressed too, so that the hidden
value cannot be recovered by subtraction. The raw figures are never cached nor returned: the cache
(the `shared` one, recomputed at most hourly) holds the suppressed version only.

Nothing here reads a site's name, address, coordinates, owners, procedures or journal.
Labels, tables, charts and the department map are drawn from the cached data by
`cms.statistics.presentation` (with `cms.statistics.charts` and `cms.statistics.maps`).
"""

import datetime

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from actions.indicators import SCHOOL_FIELDS
from actions.models import ActionIndicators
from cms.statistics.charts import display, is_suppressed
from cms.statistics.presentation import (
    CONTRIBUTION_LABELS,
    HEADLINE_LABELS,
    PublicStatistics,
    rehousing_solutions,
)
from directory.models import User
from sitepages.enums import SolutionType
from sitepages.models import ClosingSolution, SitePage

PEOPLE_THRESHOLD = 10
SITES_THRESHOLD = 3
CACHE_KEY = "cms:public-statistics:v1"
CACHE_SECONDS = 60 * 60
MONTHS = 12

PEOPLE = "people"
SITES = "sites"
THRESHOLDS = {PEOPLE: PEOPLE_THRESHOLD, SITES: SITES_THRESHOLD}

HEADLINE_KINDS = {
    "open_sites": SITES,
    "people": PEOPLE,
    "minors": PEOPLE,
    "minors_in_school": PEOPLE,
    "departments": None,
}


# --- Suppression --------------------------------------------------------------------------------


def suppressed_label(kind: str) -> str:
    return f"< {THRESHOLDS[kind]}"


def suppress(value: int, kind: str | None) -> int | str:
    """The published form of one count: the count, or "< 10" / "< 3" for a small one."""
    if kind is None or value == 0 or value >= THRESHOLDS[kind]:
        return value
    return suppressed_label(kind)


def suppress_series(values: list[int], kind: str) -> list[int | str]:
    """Suppress a series published with its total (primary then complementary suppression)."""
    published = [suppress(value, kind) for value in values]
    hidden = [index for index, value in enumerate(published) if isinstance(value, str)]
    if len(hidden) == 1:
        candidates = [
            index for index, value in enumerate(published) if isinstance(value, int) and value > 0
        ]
        if candidates:
            smallest = min(candidates, key=lambda index: values[index])
            published[smallest] = suppressed_label(kind)
    return published


# --- Computation (raw figures stay inside these functions) --------------------------------------


def _sites():
    return SitePage.objects.live()


def _totals() -> dict:
    open_sites = _sites().open()
    raw = open_sites.aggregate(
        open_sites=Count("pk"),
        people=Coalesce(Sum("people"), 0),
        minors=Coalesce(Sum("minors"), 0),
        minors_in_school=Coalesce(Sum("minors_in_school"), 0),
        departments=Count("commune__department", distinct=True),
    )
    return {key: suppress(raw[key], HEADLINE_KINDS[key]) for key in HEADLINE_LABELS}


def _departments() -> list[dict]:
    rows = list(
        _sites()
        .open()
        .values("commune__department_id", "commune__department__name")
        .annotate(sites=Count("pk"), people=Coalesce(Sum("people"), 0))
        .order_by("commune__department_id")
    )
    sites = suppress_series([row["sites"] for row in rows], SITES)
    people = suppress_series([row["people"] for row in rows], PEOPLE)
    return [
        {
            "code": row["commune__department_id"],
            "name": row["commune__department__name"],
            "open_sites": sites[index],
            "people": people[index],
        }
        for index, row in enumerate(rows)
    ]


def _years(today: datetime.date) -> list[dict]:
    closed = dict(
        _sites()
        .closed()
        .annotate(year=ExtractYear("closed_at"))
        .order_by()
        .values_list("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )
    resorbed = dict(
        _sites()
        .resorbed()
        .annotate(year=ExtractYear("closed_at"))
        .order_by()
        .values_list("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )
    rehoused: dict[int, dict[str, int]] = {}
    for year, solution, people in (
        ClosingSolution.objects.filter(
            site__live=True, site__closed_at__isnull=False, people__isnull=False
        )
        .exclude(solution_type=SolutionType.NO_SOLUTION)
        .annotate(year=ExtractYear("site__closed_at"))
        .order_by()
        .values("year", "solution_type")
        .annotate(n=Sum("people"))
        .values_list("year", "solution_type", "n")
    ):
        rehoused.setdefault(year, {})[solution] = people
    through_actions = _action_results()
    known = set(closed) | set(resorbed) | set(rehoused) | set(through_actions)
    first = min([*known, today.year])
    solutions = rehousing_solutions()
    rows = []
    for year in range(first, today.year + 1):
        by_solution = [rehoused.get(year, {}).get(key, 0) for key, _label in solutions]
        published = suppress_series(by_solution, PEOPLE)
        rows.append(
            {
                "year": year,
                "closed_sites": suppress(closed.get(year, 0), SITES),
                "resorbed_sites": suppress(resorbed.get(year, 0), SITES),
                "rehoused_people": suppress(sum(by_solution), PEOPLE),
                "rehoused_by_solution": {
                    key: published[index] for index, (key, _label) in enumerate(solutions)
                },
                "housed_through_actions": suppress(
                    through_actions.get(year, {}).get("housed", 0), PEOPLE
                ),
                "in_school_through_actions": suppress(
                    through_actions.get(year, {}).get("in_school", 0), PEOPLE
                ),
            }
        )
    return rows


def _action_results() -> dict[int, dict[str, int]]:
    """People housed and minors in school through the resorption actions, per year (from their
    yearly indicators; never their finances)."""

    sums = {name: Sum(name) for name in ["housed_people", *SCHOOL_FIELDS]}
    results = {}
    for row in ActionIndicators.objects.order_by().values("year").annotate(**sums):
        results[row["year"]] = {
            "housed": row["housed_people"] or 0,
            "in_school": sum(row[name] or 0 for name in SCHOOL_FIELDS),
        }
    return results


def month_starts(today: datetime.date, count: int = MONTHS) -> list[datetime.date]:
    year, month = today.year, today.month
    starts = []
    for _index in range(count):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _journal_model():
    """The journal's message model when the journal app defines one (optional adapter)."""
    for name in ("Entry", "JournalEntry", "Message"):
        try:
            model = apps.get_model("journal", name)
        except LookupError:
            continue
        fields = {field.name for field in model._meta.get_fields()}
        author = next((f for f in ("author", "created_by", "user") if f in fields), None)
        if "created_at" in fields and author:
            return model, author
    return None, None


def _months(today: datetime.date) -> list[dict]:
    from wagtail.models import Revision

    starts = month_starts(today)
    since = timezone.make_aware(datetime.datetime.combine(starts[0], datetime.time.min))
    active: dict[datetime.date, set] = {start: set() for start in starts}
    contributions: dict[str, dict[datetime.date, int]] = {key: {} for key in CONTRIBUTION_LABELS}

    def month_of(value) -> datetime.date:
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return datetime.date(value.year, value.month, 1)

    def add(kind, rows):
        for moment, user_id in rows:
            month = month_of(moment)
            if month in active:
                if user_id:
                    active[month].add(user_id)
                if kind:
                    contributions[kind][month] = contributions[kind].get(month, 0) + 1

    site_type = ContentType.objects.get_for_model(SitePage)
    add(
        "site_updates",
        Revision.objects.filter(content_type=site_type, created_at__gte=since).values_list(
            "created_at", "user_id"
        ),
    )
    journal, author = _journal_model()
    if journal is not None:
        add(
            "journal",
            journal.objects.filter(created_at__gte=since).values_list("created_at", author),
        )
    else:
        contributions.pop("journal")
    try:
        post = apps.get_model("forum_conversation", "Post")
        add(
            "forum",
            post.objects.filter(approved=True, created__gte=since).values_list(
                "created", "poster_id"
            ),
        )
    except LookupError:
        contributions.pop("forum")
    add(None, User.objects.filter(last_access__gte=since).values_list("last_access", "pk"))
    if apps.is_installed("axes"):
        from axes.models import AccessLog

        logins = list(
            AccessLog.objects.filter(attempt_time__gte=since).values_list(
                "attempt_time", "username"
            )
        )
        emails = {(username or "").lower() for _moment, username in logins}
        ids = dict(
            User.objects.filter(email__in=emails).values_list("email", "pk")
        )  # emails are stored in lower case
        add(None, [(moment, ids.get((username or "").lower())) for moment, username in logins])

    rows = []
    for start in starts:
        counts = {kind: contributions[kind].get(start, 0) for kind in contributions}
        rows.append(
            {
                "month": start.strftime("%Y-%m"),
                "active_users": suppress(len(active[start]), PEOPLE),
                "contributions": counts,
                "contributions_total": sum(counts.values()),
            }
        )
    return rows


def compute(today: datetime.date | None = None) -> dict:
    """The published (suppressed) statistics as plain data: what the cache, the page, the CSV
    and the API share."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    return {
        "computed_at": now.isoformat(),
        "totals": _totals(),
        "departments": _departments(),
        "years": _years(today),
        "months": _months(today),
        "thresholds": {PEOPLE: PEOPLE_THRESHOLD, SITES: SITES_THRESHOLD},
    }


def cached_data(*, refresh: bool = False) -> dict:
    cache = caches["shared"]
    data = None if refresh else cache.get(CACHE_KEY)
    if data is None:
        data = compute()
        cache.set(CACHE_KEY, data, CACHE_SECONDS)
    return data


def clear_cache() -> None:
    caches["shared"].delete(CACHE_KEY)


def public_statistics(*, refresh: bool = False) -> PublicStatistics:
    return PublicStatistics(cached_data(refresh=refresh))


__all__ = [
    "PublicStatistics",
    "display",
    "is_suppressed",
    "public_statistics",
    "suppress",
    "suppress_series",
]
