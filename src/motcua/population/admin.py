from django.contrib import admin
from django.utils import timezone

from .models import PopulationLookup, RegisteredOfficer


@admin.register(RegisteredOfficer)
class RegisteredOfficerAdmin(admin.ModelAdmin):
    list_display = ["user", "decision_number", "registered_at", "registered_by", "active"]
    list_filter = ["active"]
    search_fields = ["user__username", "user__full_name", "decision_number"]
    autocomplete_fields = ["user"]
    readonly_fields = ["registered_by", "registered_at", "revoked_at"]

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the registration stays on record

    def save_model(self, request, obj, form, change):
        if not change:
            obj.registered_by = request.user
        if "active" in form.changed_data:
            obj.revoked_at = None if obj.active else timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(PopulationLookup)
class PopulationLookupAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only."""

    list_display = ["at", "officer", "agency", "personal_id", "outcome", "dossier_code"]
    list_filter = ["outcome", "agency"]
    search_fields = ["personal_id", "officer__username", "dossier_code"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
