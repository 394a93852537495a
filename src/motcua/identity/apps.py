from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "motcua.identity"
    verbose_name = _("Applicant sign-in")

    def ready(self):
        from . import checks  # noqa: F401 — registers the deployment checks
