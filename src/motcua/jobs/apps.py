from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "motcua.jobs"
    verbose_name = _("Scheduled jobs")

    def ready(self):
        from . import staff  # noqa: F401 — registers the outbox handler of staff warnings
