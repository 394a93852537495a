from django.contrib import admin

from motcua.web.admin import ReadOnlyAdmin

from .models import ConsistencyReport


@admin.register(ConsistencyReport)
class ConsistencyReportAdmin(ReadOnlyAdmin):
    list_display = ["ran_at", "dossiers_checked", "steps_checked", "consistent"]
