from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "platform_search"
    verbose_name = _("Search")

    def ready(self):
        from search import checks, signals  # noqa: F401 - checks register themselves

        signals.connect()
