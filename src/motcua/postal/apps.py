from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostalConfig(AppConfig):
    name = "motcua.postal"
    verbose_name = _("Postal delivery of results")

    def ready(self):
        from motcua.outbox.delivery import handles

        from .services import BOOK_TOPIC, book_shipment

        handles(BOOK_TOPIC)(book_shipment)
