"""Search backends behind one interface, chosen by `settings.PLATFORM_SEARCH["BACKEND"]`."""

from search.backends.base import FACETS, Hit, Results, SearchBackend, SearchRequest
from search.indexing import search_settings


def get_backend(name: str | None = None) -> SearchBackend:
    name = name or search_settings()["BACKEND"]
    if name == "elasticsearch":
        from search.backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend()
    if name == "postgres":
        from search.backends.postgres import PostgresBackend

        return PostgresBackend()
    raise ValueError(f"Unknown search backend {name!r}")


__all__ = ["FACETS", "Hit", "Results", "SearchBackend", "SearchRequest", "get_backend"]
