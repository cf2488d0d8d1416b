"""The territorial dashboard: the open sites of a territory at a glance
(docs/domain.md#exports-and-dashboard).

Everything is computed by the database over the sites the user may list (`Feature.SITE_LIST`),
optionally narrowed to one territory: a fixed number of queries whatever the number of sites
(tests/sitepages/test_dashboard.py). The living-condition shares use the SQL mirrors of
`sitepages.living_conditions` in `sitepages.models.rules`; the completion uses `complete_q`.

Alerts: sites whose population at least doubled over the last six months, read from each site's
last revision before that date (one query over the revisions).
"""

import datetime

from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone

from sitepages.enums import LivingConditionStatus, LivingConditionTheme
from sitepages.filters import POPULATION_BRACKETS
from sitepages.models.rules import complete_q, condition_status, last_update, stale_limit

MONTHS = 12
ALERT_WINDOW_DAYS = 183
ALERT_MINIMUM_PEOPLE = 10  # a site going from 2 to 4 people is not an alert
TARGET_YEARS_SHOWN = 2  # the resorption targets of this year and the next
GOOD = LivingConditionStatus.GOOD.value

#: The living-condition themes the dashboard shows, as the domain names them.
THEMES = [
    LivingConditionTheme.WATER,
    LivingConditionTheme.ELECTRICITY,
    LivingConditionTheme.WASTE,
    LivingConditionTheme.FIRE_PREVENTION,
    LivingConditionTheme.SANITATION,
]


def share(part, whole) -> int | None:
    return round(100 * part / whole) if whole else None


def month_ends(today: datetime.date, count: int = MONTHS) -> list[datetime.date]:
    """The last day of each of the `count` months up to this one (this one: today)."""
    ends = [today]
    first = today.replace(day=1)
    for _number in range(count - 1):
        end = first - datetime.timedelta(days=1)
        ends.append(end)
        first = end.replace(day=1)
    return list(reversed(ends))


def headline(open_sites, user) -> dict:
    aggregates = {
        "total_sites": Count("pk"),
        "total_people": Sum("people"),
        "total_households": Sum("households"),
        "total_minors": Sum("minors"),
        "total_minors_in_school": Sum("minors_in_school"),
        "minors_counted": Sum("minors", filter=Q(minors_in_school__isnull=False)),
        "complete": Count("pk", filter=complete_q(user)),
        "stale": Count(
            "pk",
            filter=Q(stale_update__lt=stale_limit()),
        ),
        "total_heatwave": Count("pk", filter=Q(heatwave=True)),
    }
    for key, (_label, condition) in POPULATION_BRACKETS.items():
        aggregates[f"size_{key}"] = Count("pk", filter=condition)
    target_years = [timezone.localdate().year + offset for offset in range(TARGET_YEARS_SHOWN)]
    for year in target_years:
        aggregates[f"target_{year}"] = Count("pk", filter=Q(resorption_target_year=year))
        aggregates[f"target_people_{year}"] = Sum("people", filter=Q(resorption_target_year=year))
    aliases = {f"status_{theme.value}": condition_status(theme) for theme in THEMES}
    for theme in THEMES:
        aggregates[f"good_{theme.value}"] = Count("pk", filter=Q(**{f"status_{theme.value}": GOOD}))
        aggregates[f"known_{theme.value}"] = Count(
            "pk", filter=~Q(**{f"status_{theme.value}": LivingConditionStatus.UNKNOWN.value})
        )
    row = open_sites.order_by().alias(stale_update=last_update(), **aliases).aggregate(**aggregates)
    sites = row["total_sites"]
    return {
        "sites": sites,
        "people": row["total_people"] or 0,
        "households": row["total_households"] or 0,
        "minors": row["total_minors"] or 0,
        "minors_in_school": row["total_minors_in_school"] or 0,
        "school_share": share(row["total_minors_in_school"] or 0, row["minors_counted"] or 0),
        "complete": row["complete"],
        "complete_share": share(row["complete"], sites),
        "stale": row["stale"],
        "heatwave": row["total_heatwave"],
        "sizes": [
            {
                "key": key,
                "label": label,
                "count": row[f"size_{key}"],
                "share": share(row[f"size_{key}"], sites),
            }
            for key, (label, _condition) in POPULATION_BRACKETS.items()
        ],
        "targets": [
            {
                "year": year,
                "sites": row[f"target_{year}"],
                "people": row[f"target_people_{year}"] or 0,
            }
            for year in target_years
        ],
        "conditions": [
            {
                "theme": theme,
                "label": theme.label,
                "good": row[f"good_{theme.value}"],
                "known": row[f"known_{theme.value}"],
                "share": share(row[f"good_{theme.value}"], sites),
                "unknown": sites - row[f"known_{theme.value}"],
            }
            for theme in THEMES
        ],
    }


def evolution(sites, today: datetime.date) -> list[dict]:
    """Per month: sites open at the end of the month, sites declared and closed during it."""
    ends = month_ends(today)
    aggregates = {}
    previous_end = ends[0].replace(day=1) - datetime.timedelta(days=1)
    for index, end in enumerate(ends):
        start = previous_end + datetime.timedelta(days=1)
        aggregates[f"open_{index}"] = Count(
            "pk",
            filter=Q(declared_at__lte=end) & (Q(closed_at__isnull=True) | Q(closed_at__gt=end)),
        )
        aggregates[f"declared_{index}"] = Count(
            "pk", filter=Q(declared_at__gte=start, declared_at__lte=end)
        )
        aggregates[f"closed_{index}"] = Count(
            "pk", filter=Q(closed_at__gte=start, closed_at__lte=end)
        )
        aggregates[f"resorbed_{index}"] = Count(
            "pk",
            filter=Q(closed_at__gte=start, closed_at__lte=end, closed_with_solutions=True),
        )
        previous_end = end
    row = sites.order_by().aggregate(**aggregates)
    return [
        {
            "month": end.replace(day=1),
            "open": row[f"open_{index}"],
            "declared": row[f"declared_{index}"],
            "closed": row[f"closed_{index}"],
            "resorbed": row[f"resorbed_{index}"],
        }
        for index, end in enumerate(ends)
    ]


def population_alerts(open_sites, today: datetime.date) -> list[dict]:
    """Open sites whose population at least doubled since their last revision six months ago
    (and reaches `ALERT_MINIMUM_PEOPLE`). Sites younger than that have no alert."""
    from wagtail.models import Revision

    since = today - datetime.timedelta(days=ALERT_WINDOW_DAYS)
    current = {
        row["pk"]: row
        for row in open_sites.filter(people__gte=ALERT_MINIMUM_PEOPLE).values(
            "pk", "title", "url_path", "people", "commune__name"
        )
    }
    if not current:
        return []
    boundary = timezone.make_aware(datetime.datetime.combine(since, datetime.time()))
    old = (
        Revision.page_revisions.filter(
            object_id__in=[str(pk) for pk in current], created_at__lt=boundary
        )
        .order_by("object_id", "-created_at", "-pk")
        .distinct("object_id")
        .annotate(old_people=Cast(KeyTextTransform("people", "content"), IntegerField()))
        .values_list("object_id", "old_people")
    )
    alerts = []
    for object_id, old_people in old:
        site = current[int(object_id)]
        if old_people and site["people"] >= 2 * old_people:
            alerts.append({**site, "old_people": old_people, "since": since})
    alerts.sort(key=lambda alert: (-(alert["people"] - alert["old_people"]), alert["title"]))
    return alerts


def dashboard(sites, user, *, today: datetime.date | None = None) -> dict:
    """`sites`: the live sites the user may list, already narrowed to the chosen territory."""
    today = today or timezone.localdate()
    open_sites = sites.open()
    return {
        "headline": headline(open_sites, user),
        "evolution": evolution(sites, today),
        "alerts": population_alerts(open_sites, today),
        "today": today,
    }
