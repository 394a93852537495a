"""Django admin for the catalogue (SPEC §3 item 17). Changes go through the services."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.web.admin import ReadOnlyAdmin

from . import services
from .models import (
    Agency,
    AgencyEvent,
    Component,
    Fee,
    Field,
    OneStopDesk,
    Procedure,
    ProcessStep,
    ProcessVersion,
)


class AgencyEventInline(admin.TabularInline):
    model = AgencyEvent
    fk_name = "agency"
    extra = 0
    can_delete = False
    fields = ["kind", "occurred_on", "old_name", "new_name", "target", "decision", "recorded_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "status"]
    list_filter = ["level", "status"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["status", "merged_into", "closed_on"]
    inlines = [AgencyEventInline]

    def has_delete_permission(self, request, obj=None):
        return False  # agencies are merged or closed, never deleted (SPEC §1)

    def save_model(self, request, obj, form, change):
        if not change:
            services.create_agency(obj, actor=request.user)
            return
        new_name = obj.name
        if "name" in form.changed_data:
            obj.name = form.initial["name"]  # the rename is recorded by the service
        obj.save()
        if new_name != obj.name:
            services.rename_agency(obj, new_name, actor=request.user)


@admin.register(AgencyEvent)
class AgencyEventAdmin(ReadOnlyAdmin):
    list_display = ["agency", "kind", "occurred_on", "target", "recorded_by", "recorded_at"]
    list_filter = ["kind"]
    search_fields = ["agency__name", "agency__code", "old_name", "new_name"]


@admin.register(OneStopDesk)
class OneStopDeskAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "phone", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["agency", "served_agencies"]


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = [
        "national_code",
        "name",
        "field",
        "level",
        "online_level",
        "processing_days",
        "is_active",
    ]
    list_filter = ["level", "online_level", "field", "is_active"]
    search_fields = ["national_code", "name", "search_text"]
    autocomplete_fields = ["field", "agencies"]
    inlines = [FeeInline, ComponentInline]

    def get_search_results(self, request, queryset, search_term):
        from .text import fold

        return super().get_search_results(request, queryset, fold(search_term))


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0
    autocomplete_fields = ["unit"]

    def _editable(self, obj):
        return obj is None or obj.is_editable

    def has_add_permission(self, request, obj=None):
        return self._editable(obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj)


@admin.register(ProcessVersion)
class ProcessVersionAdmin(admin.ModelAdmin):
    list_display = ["procedure", "agency", "number", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["procedure__national_code", "procedure__name"]
    autocomplete_fields = ["procedure", "agency"]
    readonly_fields = ["status", "published_at", "published_by"]
    inlines = [ProcessStepInline]
    actions = ["publish", "draft_next"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return [*self.readonly_fields, "procedure", "agency", "number", "note"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.is_editable

    @admin.action(description=_("Publish the selected drafts"))
    def publish(self, request, queryset):
        for version in queryset:
            try:
                services.publish_process_version(version, actor=request.user)
            except ValidationError as error:
                self.message_user(request, f"{version}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("%s published.") % version, messages.SUCCESS)

    @admin.action(description=_("Start a new draft from the selected versions"))
    def draft_next(self, request, queryset):
        for procedure, agency in {(v.procedure, v.agency) for v in queryset}:
            draft = services.draft_next_version(procedure, agency=agency)
            self.message_user(request, _("Draft %s created.") % draft, messages.SUCCESS)
