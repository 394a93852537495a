"""Read-only views of dossiers for operators: every change goes through the services."""

from django.contrib import admin

from motcua.web.admin import ReadOnlyAdmin

from .models import Apology, Dossier, DossierEvent, DossierStep, SupplementRequest


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = DossierEvent
    fields = ["at", "action", "from_status", "to_status", "actor", "reason"]


class StepInline(ReadOnlyInline):
    model = DossierStep
    fields = [
        "order",
        "role",
        "agency",
        "state",
        "assignee",
        "started_at",
        "due_at",
        "done_at",
        "timeliness",
    ]


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "procedure",
        "agency",
        "status",
        "channel",
        "submitted_at",
        "due_at",
        "timeliness",
    ]
    list_filter = ["status", "channel", "timeliness"]
    search_fields = ["code"]
    inlines = [StepInline, EventInline]


admin.site.register(SupplementRequest, ReadOnlyAdmin)
admin.site.register(Apology, ReadOnlyAdmin)
