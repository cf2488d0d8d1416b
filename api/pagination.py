"""One cursor pagination for every list: `?cursor=` (opaque, given in `next`/`previous`) and
`?taille=` (page size, bounded). A cursor gives stable pages even while items are added."""

from rest_framework.pagination import CursorPagination


class ApiCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "taille"
    max_page_size = 200
    ordering = "pk"

    def get_ordering(self, request, queryset, view):
        ordering = getattr(view, "cursor_ordering", None)
        if callable(ordering):
            ordering = ordering(request)
        if ordering:
            return tuple(ordering)
        return super().get_ordering(request, queryset, view)

    def get_paginated_response_schema(self, schema):
        # `next` and `previous` are null at the ends; said as JSON Schema (OpenAPI 3.1).
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": ["string", "null"], "format": "uri"},
                "previous": {"type": ["string", "null"], "format": "uri"},
                "results": schema,
            },
        }
