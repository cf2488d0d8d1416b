from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Infrastructure every app may use: the embedded database, background tasks, private
    storage, rate limits, client addresses, health and error views, shared template includes,
    the demo orchestration."""

    name = "core"
    verbose_name = _("Platform infrastructure")

    def ready(self):
        from core import pagecache, storage
        from core.forms import share_dsfr_renderer

        share_dsfr_renderer()
        pagecache.connect_signals()
        storage.connect_private_file_cleanup()
