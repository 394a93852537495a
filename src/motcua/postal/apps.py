from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostalConfig(AppConfig):
    name = "motcua.postal"
    verbose_name = _("Postal delivery of results")
