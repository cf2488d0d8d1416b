from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = _("Site journal")

    def ready(self):
        from journal import site_export

        site_export.register()  # the journal's section of the site export
