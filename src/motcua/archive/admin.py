"""Django admin: retention periods per procedure (changed through the service, audited)
and the packages made, read-only."""

from django.contrib import admin

from motcua.web.admin import ReadOnlyAdmin

from . import retention
from .models import ArchivedDossier, ArchiveExport, Retention


@admin.register(Retention)
class RetentionAdmin(admin.ModelAdmin):
    list_display = ["procedure", "years", "basis"]
    search_fields = ["procedure__national_code", "procedure__name", "basis"]
    autocomplete_fields = ["procedure"]

    def get_readonly_fields(self, request, obj=None):
        return ["procedure"] if obj else []

    def save_model(self, request, obj, form, change):
        saved = retention.set_period(obj.procedure, obj.years, obj.basis, actor=request.user)
        obj.pk = saved.pk


class ArchivedDossierInline(admin.TabularInline):
    model = ArchivedDossier
    fields = ["dossier", "retain_until"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ArchiveExport)
class ArchiveExportAdmin(ReadOnlyAdmin):
    list_display = [
        "identifier",
        "agency",
        "period_start",
        "period_end",
        "dossier_count",
        "created_by",
        "created_at",
    ]
    list_filter = ["agency"]
    search_fields = ["identifier", "agency__code", "agency__name"]
    inlines = [ArchivedDossierInline]
