from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    verbose_name = _("Dossiers")

    def ready(self):
        from motcua.catalogue.services import register_merge_handler

        from .reorganisation import carry_open_dossiers

        register_merge_handler("dossiers", carry_open_dossiers)
