"""System checks of the search settings."""

from django.core.checks import Error, register

from search.indexing import search_settings

BACKENDS = ("postgres", "elasticsearch")


@register()
def check_search_settings(app_configs=None, **kwargs):
    config = search_settings()
    errors = []
    if config["BACKEND"] not in BACKENDS:
        errors.append(
            Error(
                f"PLATFORM_SEARCH['BACKEND'] is {config['BACKEND']!r}.",
                hint=f"Use one of {', '.join(BACKENDS)} (environment variable SEARCH_BACKEND).",
                id="platform_search.E001",
            )
        )
    if config["BACKEND"] == "elasticsearch" and not config.get("ELASTICSEARCH_URL"):
        errors.append(
            Error(
                "The Elasticsearch search backend needs ELASTICSEARCH_URL.",
                id="platform_search.E002",
            )
        )
    return errors
