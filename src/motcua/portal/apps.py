from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
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
        from motcua.catalogue.models import Agency, Field, Procedure

        from .catalogue import forget

        post_migrate.connect(_keep_search_index, sender=self, dispatch_uid="portal-search-index")
        # The catalogue pages' state and version (SPEC §6) are read from the cache: a change
        # of what they show forgets them.
        for model in (Procedure, Field, Agency):
            post_save.connect(forget, sender=model, dispatch_uid=f"portal-saved-{model.__name__}")
            post_delete.connect(
                forget, sender=model, dispatch_uid=f"portal-deleted-{model.__name__}"
            )
        m2m_changed.connect(
            forget, sender=Procedure.agencies.through, dispatch_uid="portal-procedure-agencies"
        )
