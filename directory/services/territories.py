"""Territory search shared by the autocomplete endpoint and the territory form field."""

import re

from django.db import models

from directory.enums import TerritoryLevel
from directory.models import Commune, Department, Epci, Region

# Searchable levels, from the widest to the narrowest (the nation is not a searchable territory).
MODELS = {
    TerritoryLevel.REGION: Region,
    TerritoryLevel.DEPARTMENT: Department,
    TerritoryLevel.EPCI: Epci,
    TerritoryLevel.COMMUNE: Commune,
}
LEVELS = tuple(MODELS)
MAX_LIMIT = 20
MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 100
# How a form posts a chosen territory: "commune:69123", "department:2A", "epci:200046977".
VALUE_RE = re.compile(r"(?P<level>[a-z]+):(?P<code>[0-9A-Za-z]{1,9})")
# Within a level, `level_order` is constant: each level's best rows are also its best rows
# in the combined order, so taking `limit` rows per level then `limit` in all is exact.
ORDERING = (
    "match_rank",
    "name_length",
    "level_order",
    models.F("sort_population").desc(nulls_last=True),
    "name",
    "code",
)


def _level_query(level: TerritoryLevel, query: str, limit: int):
    """One level's best matches as rows of the UNION built by `search_territories`."""
    model = MODELS[level]
    # A typed NULL: PostgreSQL would resolve the UNION of bare NULLs as text.
    no_population = models.functions.Cast(models.Value(None), models.IntegerField())
    if level is TerritoryLevel.COMMUNE:
        label_code, population = models.F("department_id"), models.F("population")
    elif level is TerritoryLevel.DEPARTMENT:
        label_code, population = models.F("code"), no_population
    else:
        label_code, population = models.Value("", output_field=models.CharField()), no_population
    return (
        model.objects.search(query)
        .annotate(
            level=models.Value(level.value, output_field=models.CharField()),
            level_order=models.Value(LEVELS.index(level), output_field=models.IntegerField()),
            label_code=label_code,
            sort_population=population,
        )
        .order_by(*ORDERING)
        .values_list(
            "level",
            "code",
            "name",
            "label_code",
            "match_rank",
            "name_length",
            "level_order",
            "sort_population",
        )[:limit]
    )


def search_territories(query: str, levels=None, limit: int = 10) -> list[dict]:
    """Territories matching `query`, best first, as `{"level", "code", "label"}` dicts.

    Accent- and case-insensitive. Order: official code or whole-name matches, then names starting
    with the query, then names with a word starting with it, then names holding every word of the
    query; within each rank shorter names first, then the widest level (region before commune),
    then the most populated commune. A department is also found by its code ("69", "2A", "974"),
    a commune by its INSEE or postal code. Communes and departments show their department code:
    "Lyon (69)". One SQL query whatever the number of levels and matches.
    """
    levels = [TerritoryLevel(level) for level in (levels or LEVELS)]
    limit = max(1, min(int(limit), MAX_LIMIT))
    queries = [_level_query(level, query, limit) for level in LEVELS if level in levels]
    queries = [queryset for queryset in queries if not queryset.query.is_empty()]
    if not queries:
        return []
    rows = queries[0]  # already ordered and limited
    if len(queries) > 1:
        rows = rows.union(*queries[1:], all=True).order_by(*ORDERING)[:limit]
    return [
        {"level": level, "code": code, "label": f"{name} ({label_code})" if label_code else name}
        for level, code, name, label_code, *_ in rows
    ]


def territory_label(territory) -> str:
    """The label `search_territories` gives this territory: "Lyon (69)", "Rhône (69)"."""
    if isinstance(territory, Commune):
        return f"{territory.name} ({territory.department_id})"
    if isinstance(territory, Department):
        return f"{territory.name} ({territory.code})"
    return territory.name


def get_territory(level: str, code: str):
    """The territory of that level and code, or None."""
    try:
        model = MODELS[TerritoryLevel(level)]
    except (KeyError, ValueError):
        return None
    return model.objects.filter(pk=code).first()


def territory_from_value(value, levels=LEVELS):
    """The territory a form value stands for, or None: a territory instance, a `level:code`
    string, or a bare code when only one level is allowed (a model form's initial foreign key).
    """
    if isinstance(value, tuple(MODELS.values())):
        return value if value.level in levels else None
    if not isinstance(value, str):
        return None
    match = VALUE_RE.fullmatch(value.strip())
    if match and match["level"] in levels:
        return get_territory(match["level"], match["code"])
    if not match and len(levels) == 1 and re.fullmatch(r"[0-9A-Za-z]{1,9}", value.strip()):
        return get_territory(levels[0], value.strip())
    return None
