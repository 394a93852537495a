from django.contrib import admin

from .models import ProcedureSync, PulledDossier


class ReadOnly(admin.ModelAdmin):
    """Written by the synchronisation only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PulledDossier)
class PulledDossierAdmin(ReadOnly):
    list_display = ["national_id", "procedure_code", "dossier", "refusal_code", "acknowledged_at"]
    list_filter = ["refusal_code"]
    search_fields = ["national_id", "dossier__code"]


@admin.register(ProcedureSync)
class ProcedureSyncAdmin(ReadOnly):
    list_display = ["procedure", "checked_at", "unknown_since", "last_error"]
    list_filter = [("unknown_since", admin.EmptyFieldListFilter)]
    search_fields = ["procedure__national_code", "procedure__name"]
