from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivityConfig(AppConfig):
    name = "activity"
    verbose_name = _("Notifications and activity")

    def ready(self):
        from activity import home, receivers, services
        from core import notifications

        notifications.register(services.DELIVERY)
        receivers.connect()
        home.register()
