from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    verbose_name = _("Notifications to applicants")

    def ready(self):
        from . import services  # noqa: F401 — registers the outbox handlers
