"""Public JSON search over the reference territories, behind the territory autocomplete widget."""

from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from directory.services.territories import (
    LEVELS,
    MAX_LIMIT,
    MAX_QUERY_LENGTH,
    MIN_QUERY_LENGTH,
    search_territories,
)

DEFAULT_LIMIT = 10


class InvalidQuery(ValueError):
    pass


def _parse(params) -> tuple[str, list[str] | None, int]:
    query = params.get("q", "").strip()
    if len(query) < MIN_QUERY_LENGTH:
        raise InvalidQuery(_("Type at least %(count)d characters.") % {"count": MIN_QUERY_LENGTH})
    if len(query) > MAX_QUERY_LENGTH:
        raise InvalidQuery(_("Type at most %(count)d characters.") % {"count": MAX_QUERY_LENGTH})

    levels = None
    if "levels" in params:
        levels = [level.strip() for level in params["levels"].split(",") if level.strip()]
        if not levels or any(level not in LEVELS for level in levels):
            raise InvalidQuery(
                _("Unknown territory level. Allowed levels: %(levels)s.")
                % {"levels": ", ".join(LEVELS)}
            )

    limit = DEFAULT_LIMIT
    if "limit" in params:
        raw = params["limit"].strip()
        limit = int(raw) if raw.isascii() and raw.isdigit() else 0
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidQuery(
                _("The number of results must be between 1 and %(max)d.") % {"max": MAX_LIMIT}
            )
    return query, levels, limit


@require_GET
def autocomplete(request):
    """`GET ?q=lyon&levels=department,commune&limit=10` →
    `{"results": [{"level": "commune", "code": "69123", "label": "Lyon (69)"}, …]}`.

    Public: territories are public data. Invalid input gives HTTP 400 and `{"error": "…"}`.
    """
    try:
        query, levels, limit = _parse(request.GET)
    except InvalidQuery as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    response = JsonResponse({"results": search_territories(query, levels=levels, limit=limit)})
    patch_cache_control(response, public=True, max_age=3600)  # changes once a year
    return response
