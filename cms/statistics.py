"""Public statistics: aggregates of the sites, their closings and the use of the platform.

Only aggregates leave this module, and only after **statistical suppression**: a cell counting
fewer than `PEOPLE_THRESHOLD` people or `SITES_THRESHOLD` sites is published as "< 10" / "< 3"
(zero is published: it reveals nobody). When a series is published with its total and exactly one
of its cells is suppressed, the smallest other non-zero cell is suppressed too, so that the hidden
value cannot be recovered by subtraction. The raw figures are never cached nor returned: the cache
(the `shared` one, recomputed at most hourly) holds the suppressed version only.

Nothing here reads a site's name, address, coordinates, owners, procedures or journal.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

PEOPLE_THRESHOLD = 10
SITES_THRESHOLD = 3
CACHE_KEY = "cms:public-statistics:v1"
CACHE_SECONDS = 60 * 60
MONTHS = 12

PEOPLE = "people"
SITES = "sites"
THRESHOLDS = {PEOPLE: PEOPLE_THRESHOLD, SITES: SITES_THRESHOLD}

HEADLINE_LABELS = {
    "open_sites": _("open sites"),
    "people": _("people living in them"),
    "minors": _("minors"),
    "minors_in_school": _("minors in school"),
    "departments": _("departments involved"),
}
HEADLINE_KINDS = {
    "open_sites": SITES,
    "people": PEOPLE,
    "minors": PEOPLE,
    "minors_in_school": PEOPLE,
    "departments": None,
}
CONTRIBUTION_LABELS = {
    "site_updates": _("site updates"),
    "journal": _("journal messages"),
    "forum": _("mutual-aid posts"),
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


def is_suppressed(value) -> bool:
    return isinstance(value, str)


def display(value) -> str:
    """French display of a published count: "12 345", or the suppression label as is."""
    if isinstance(value, str):
        return value
    return formats.number_format(value, force_grouping=True)


# --- Computation (raw figures stay inside these functions) --------------------------------------


def _sites():
    from sitepages.models import SitePage

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
    from sitepages.enums import SolutionType
    from sitepages.models import ClosingSolution

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
    known = set(closed) | set(resorbed) | set(rehoused)
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
            }
        )
    return rows


def rehousing_solutions() -> list[tuple[str, str]]:
    """Solution types that rehouse (all but "social watch / no solution")."""
    from sitepages.enums import SolutionType

    return [(key, label) for key, label in SolutionType.choices if key != SolutionType.NO_SOLUTION]


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

    from directory.models import User
    from sitepages.models import SitePage

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


# --- Presentation -------------------------------------------------------------------------------


@dataclass
class Figure:
    key: str
    label: str
    value: int | str

    @property
    def display(self) -> str:
        return display(self.value)

    @property
    def suppressed(self) -> bool:
        return is_suppressed(self.value)


def _number(value) -> int:
    return value if isinstance(value, int) else 0


def bar_chart(points: list[tuple[str, int | str]], *, height: int = 160, bar: int = 36) -> dict:
    """Geometry of a server-rendered SVG bar chart: one bar per (label, published value);
    suppressed values get no bar, only their label."""
    gap = 12
    top = max([_number(value) for _label, value in points] + [1])
    bars = []
    for index, (label, value) in enumerate(points):
        size = round(_number(value) / top * (height - 30)) if not is_suppressed(value) else 0
        x = gap + index * (bar + gap)
        bars.append(
            {
                "label": label,
                "display": display(value),
                "x": x,
                "text_x": x + bar // 2,
                "y": height - 20 - size,
                "height": size,
                "value_y": height - 24 - size,
            }
        )
    return {
        "bars": bars,
        "width": gap + len(points) * (bar + gap),
        "height": height,
        "bar_width": bar,
        "axis_y": height - 20,
        "label_y": height - 5,
    }


def horizontal_bars(rows: list[tuple[str, int | str]]) -> list[dict]:
    """Proportional bars (percent of the largest value) for the department-level view."""
    top = max([_number(value) for _label, value in rows] + [1])
    return [
        {
            "label": label,
            "display": display(value),
            "percent": 0 if is_suppressed(value) else round(_number(value) / top * 100),
        }
        for label, value in rows
    ]


class PublicStatistics:
    """The published statistics, with labels and chart geometry for the templates."""

    def __init__(self, data: dict):
        self.data = data

    @property
    def computed_at(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.data["computed_at"])

    @property
    def headline(self) -> list[Figure]:
        totals = self.data["totals"]
        return [Figure(key, label, totals[key]) for key, label in HEADLINE_LABELS.items()]

    @property
    def solutions(self):
        return rehousing_solutions()

    @property
    def years(self) -> list[dict]:
        rows = []
        for row in self.data["years"]:
            rows.append(
                {
                    **row,
                    "closed_display": display(row["closed_sites"]),
                    "resorbed_display": display(row["resorbed_sites"]),
                    "rehoused_display": display(row["rehoused_people"]),
                    "by_solution": [
                        display(row["rehoused_by_solution"][key]) for key, _label in self.solutions
                    ],
                }
            )
        return rows

    @property
    def months(self) -> list[dict]:
        rows = []
        for row in self.data["months"]:
            month = datetime.date.fromisoformat(row["month"] + "-01")
            rows.append(
                {
                    **row,
                    "label": formats.date_format(month, "F Y"),
                    "short_label": formats.date_format(month, "M y"),
                    "active_display": display(row["active_users"]),
                    "contribution_values": [
                        display(row["contributions"][key]) for key in self.contribution_kinds
                    ],
                    "total_display": display(row["contributions_total"]),
                }
            )
        return rows

    @property
    def contribution_kinds(self) -> list[str]:
        months = self.data["months"]
        return list(months[0]["contributions"]) if months else []

    @property
    def contribution_labels(self) -> list[str]:
        return [CONTRIBUTION_LABELS[key] for key in self.contribution_kinds]

    @property
    def departments(self) -> list[dict]:
        rows = self.data["departments"]
        bars = horizontal_bars([(row["name"], row["people"]) for row in rows])
        return [
            {
                **row,
                "label": f"{row['name']} ({row['code']})",
                "sites_display": display(row["open_sites"]),
                "people_display": display(row["people"]),
                "percent": bar["percent"],
            }
            for row, bar in zip(rows, bars, strict=True)
        ]

    def charts(self) -> dict:
        years = self.data["years"]
        months = self.months
        return {
            "resorbed": bar_chart([(str(r["year"]), r["resorbed_sites"]) for r in years]),
            "closed": bar_chart([(str(r["year"]), r["closed_sites"]) for r in years]),
            "rehoused": bar_chart([(str(r["year"]), r["rehoused_people"]) for r in years]),
            "active_users": bar_chart(
                [(m["short_label"], m["active_users"]) for m in months], bar=30
            ),
            "contributions": bar_chart(
                [(m["short_label"], m["contributions_total"]) for m in months], bar=30
            ),
        }

    # --- Open data --------------------------------------------------------------------------

    def csv_rows(self) -> list[list]:
        """One long table: (section, period or territory, indicator, value)."""
        rows = [["section", "periode_ou_territoire", "indicateur", "valeur"]]
        for key, value in self.data["totals"].items():
            rows.append(["total", "", key, value])
        for row in self.data["departments"]:
            rows.append(["departement", row["code"], "open_sites", row["open_sites"]])
            rows.append(["departement", row["code"], "people", row["people"]])
        for row in self.data["years"]:
            for key in ("closed_sites", "resorbed_sites", "rehoused_people"):
                rows.append(["annee", row["year"], key, row[key]])
            for key, value in row["rehoused_by_solution"].items():
                rows.append(["annee", row["year"], f"rehoused_people:{key}", value])
        for row in self.data["months"]:
            rows.append(["mois", row["month"], "active_users", row["active_users"]])
            for key, value in row["contributions"].items():
                rows.append(["mois", row["month"], f"contributions:{key}", value])
        return rows

    def as_api(self) -> dict:
        return {
            **self.data,
            "suppression": {
                "people_threshold": PEOPLE_THRESHOLD,
                "sites_threshold": SITES_THRESHOLD,
                "note": "Counts below a threshold are published as '< N' (statistical secrecy).",
            },
        }


def public_statistics(*, refresh: bool = False) -> PublicStatistics:
    return PublicStatistics(cached_data(refresh=refresh))


__all__ = ["PublicStatistics", "public_statistics", "suppress", "suppress_series"]
