from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _keep_search_index(using, **kwargs):
    """The catalogue search index outlives migrations that rebuild the procedure table
    (SQLite drops the table's triggers then)."""
    from django.db import connections

    from motcua.catalogue import search

    connection = connections[using]
    if search.TABLE in connection.introspection.table_names():
        search.install(connection)


class PortalConfig(AppConfig):
    name = "motcua.portal"
    verbose_name = _("Citizen portal")

    def ready(self):
        post_migrate.connect(_keep_search_index, sender=self, dispatch_uid="portal-search-index")
