from django.contrib import admin

from .models import Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Read-only: payments change only through the gateway's signed callback."""

    list_display = ["reference", "dossier", "amount", "status", "gateway", "created_at"]
    list_filter = ["status", "gateway"]
    search_fields = ["reference", "gateway_transaction", "dossier__code"]
    list_select_related = ["dossier"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
