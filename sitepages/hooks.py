"""Extension points of the sites for the apps above them (which sitepages never imports).

An app registers from its `AppConfig.ready`:

- a **section of the site page**: `register_site_section(function)`, where
  `function(request, site)` returns `None` (nothing to show) or `{"template": ..., **context}`;
  the site page includes each template with its context, before the journal;
- a **list filter**: `register_list_filter(ListFilter(...))`, a form field added to the filter
  form of the list, the map and the GeoJSON feed, and the function narrowing the queryset;
- a **dashboard block**: `register_dashboard_block(function)`, where
  `function(request, sites, territory)` returns `None` or `{"template": ..., **context}`.
"""

from collections.abc import Callable
from dataclasses import dataclass

_site_sections: list[Callable] = []
_list_filters: list["ListFilter"] = []
_dashboard_blocks: list[Callable] = []


@dataclass(frozen=True)
class ListFilter:
    name: str
    #: () -> a form field (built for each form)
    field: Callable
    #: (queryset, value, user) -> queryset; called only when the value is not empty
    apply: Callable
    #: shown under "More filters" (else beside the main filters)
    advanced: bool = True


def _add(registry: list, item) -> None:
    if item not in registry:  # ready() may run twice in some test setups
        registry.append(item)


def register_site_section(function: Callable) -> Callable:
    _add(_site_sections, function)
    return function


def register_list_filter(list_filter: ListFilter) -> ListFilter:
    if all(existing.name != list_filter.name for existing in _list_filters):
        _list_filters.append(list_filter)
    return list_filter


def register_dashboard_block(function: Callable) -> Callable:
    _add(_dashboard_blocks, function)
    return function


def site_sections(request, site) -> list[dict]:
    return [section for function in _site_sections if (section := function(request, site))]


def list_filters() -> list[ListFilter]:
    return list(_list_filters)


def dashboard_blocks(request, sites, territory) -> list[dict]:
    return [
        block for function in _dashboard_blocks if (block := function(request, sites, territory))
    ]
