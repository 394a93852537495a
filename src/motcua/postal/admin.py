from django.contrib import admin

from motcua.web.admin import ReadOnlyAdmin

from .models import Shipment, ShipmentEvent


class ShipmentEventInline(admin.TabularInline):
    model = ShipmentEvent
    fields = ["at", "status", "location", "note", "notice_id"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "tracking_number", "status", "fee", "created_at", "updated_at"]
    list_filter = ["status"]
    search_fields = ["tracking_number", "dossier__code"]
    inlines = [ShipmentEventInline]
