from django.contrib import admin

from motcua.web.admin import ReadOnlyAdmin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["id", "topic", "key", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "topic"]
    search_fields = ["key"]
