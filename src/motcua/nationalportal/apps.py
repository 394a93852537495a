from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalPortalConfig(AppConfig):
    name = "motcua.nationalportal"
    label = "nationalportal"
    verbose_name = _("National public service portal")

    def ready(self):
        from motcua.outbox.delivery import handles

        from .services import STATUS_TOPIC, push_status

        handles(STATUS_TOPIC)(push_status)
