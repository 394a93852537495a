from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaultConfig(AppConfig):
    name = "motcua.vault"
    verbose_name = _("Applicant data vault")
