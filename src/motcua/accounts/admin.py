from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "kind", "role", "agency", "is_active"]
    list_filter = ["kind", "role", "is_active", "agency"]
    search_fields = ["username", "full_name", "personal_id", "tax_code", "phone", "email"]
    autocomplete_fields = ["agency"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("MotCua"),
            {"fields": ["kind", "full_name", "phone", "personal_id", "tax_code", "agency", "role"]},
        ),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("MotCua"), {"fields": ["kind", "full_name", "agency", "role"]}),
    ]
