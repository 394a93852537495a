"""Configuration pages of an agency administrator (SPEC §3 item 17): the agency's units, the
documents, fees and e-form of its procedures, and its process versions. The rules are in
:mod:`motcua.catalogue.services`; an administrator reaches only the agency's own tree, anything
else is not found."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import PROCESS_ROLES, Role
from motcua.catalogue import services
from motcua.catalogue.forms_schema import FIELD_TYPES
from motcua.catalogue.models import Agency, AgencyEvent, Component, Procedure, ProcessVersion

from .auth import staff_required

#: Links of the configuration index, by role: (URL name, label, description).
SECTIONS = {
    Role.AGENCY_ADMIN: [
        (
            "backoffice:config_units",
            gettext_lazy("Units"),
            gettext_lazy("The units of your agency: create, rename, close."),
        ),
        (
            "backoffice:config_procedures",
            gettext_lazy("Procedures"),
            gettext_lazy("Documents, fees, e-forms and process versions."),
        ),
        (
            "backoffice:staff",
            gettext_lazy("Staff accounts and roles"),
            gettext_lazy("Create accounts, give roles, suspend and restore."),
        ),
    ],
    Role.SYSTEM_OPERATOR: [
        (
            "backoffice:config_agencies",
            gettext_lazy("Agencies"),
            gettext_lazy("Merge agencies; open dossiers move over."),
        ),
        (
            "backoffice:config_calendar",
            gettext_lazy("Working calendar"),
            gettext_lazy("The province's extra days off and working days."),
        ),
    ],
}


class DescribedForm(forms.Form):
    """Fields point at their help and errors (aria-describedby) and say when invalid."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:  # the bound field is not built yet: its help may change
                field.widget.attrs["aria-describedby"] = (
                    f"{self.auto_id % self.add_prefix(name)}-help"
                )

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                described = f"{self[name].auto_id}-errors"
                if self.fields[name].help_text:
                    described += f" {self[name].auto_id}-help"
                self.fields[name].widget.attrs.update(
                    {"aria-describedby": described, "aria-invalid": "true"}
                )


class RowForm(DescribedForm):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _order_field():
    return forms.IntegerField(
        label=gettext_lazy("Order"), min_value=1, max_value=services.MAX_ORDER
    )


class ComponentForm(RowForm):
    order = _order_field()
    name = forms.CharField(label=gettext_lazy("Document"), max_length=500)
    required = forms.BooleanField(label=gettext_lazy("Required"), required=False)
    formats = forms.MultipleChoiceField(
        label=gettext_lazy("Accepted formats"),
        choices=[(f, f) for f in Component.FORMATS],
        widget=forms.CheckboxSelectMultiple,
    )
    max_size_mb = forms.IntegerField(
        label=gettext_lazy("Maximum size (MB)"), min_value=1, max_value=1000
    )


class FeeForm(RowForm):
    name = forms.CharField(label=gettext_lazy("Fee or charge"), max_length=255)
    amount = forms.IntegerField(label=gettext_lazy("Amount (VND)"), min_value=0)
    note = forms.CharField(label=gettext_lazy("Notes"), required=False)


class StepForm(RowForm):
    order = _order_field()
    name = forms.CharField(label=gettext_lazy("Step"), max_length=255)
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=[("", "—"), *((r.value, r.label) for r in PROCESS_ROLES)],
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit or agency"),
        queryset=Agency.objects.filter(status=Agency.Status.ACTIVE),
        required=False,
        empty_label=gettext_lazy("— the agency handling the dossier —"),
    )
    allotted_hours = forms.DecimalField(
        label=gettext_lazy("Working hours"), min_value=0.25, max_digits=6, decimal_places=2
    )
    is_handoff = forms.BooleanField(label=gettext_lazy("Hand-off"), required=False)


ComponentFormSet = forms.formset_factory(ComponentForm, extra=1, can_delete=True)
FeeFormSet = forms.formset_factory(FeeForm, extra=1, can_delete=True)
StepFormSet = forms.formset_factory(StepForm, extra=1, can_delete=True)


class FormSchemaForm(DescribedForm):
    schema = forms.CharField(
        label=gettext_lazy("E-form schema (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        help_text=gettext_lazy(
            'A list of fields, e.g. {"fields": [{"name": "full_name", "label": "Họ và tên", '
            '"type": "text", "required": true}]}. Types: %(types)s; a "select" field lists '
            'its "choices". Leave empty for no e-form.'
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["schema"]
        field.help_text = field.help_text % {"types": ", ".join(FIELD_TYPES)}

    def clean_schema(self):
        return services.parse_form_schema(self.cleaned_data["schema"])


class UnitForm(DescribedForm):
    parent = forms.ModelChoiceField(label=gettext_lazy("Part of"), queryset=Agency.objects.none())
    code = forms.CharField(label=gettext_lazy("Code"), max_length=32)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=255)
    short_name = forms.CharField(label=gettext_lazy("Short name"), max_length=128, required=False)
    decision = forms.CharField(
        label=gettext_lazy("Deciding document"), max_length=255, required=False
    )

    def __init__(self, scope, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Agency.objects.filter(
            pk__in=scope, status=Agency.Status.ACTIVE
        )


class RenameForm(DescribedForm):
    new_name = forms.CharField(label=gettext_lazy("New name"), max_length=255)
    short_name = forms.CharField(label=gettext_lazy("Short name"), max_length=128, required=False)
    decision = forms.CharField(
        label=gettext_lazy("Deciding document"), max_length=255, required=False
    )


class CloseForm(DescribedForm):
    decision = forms.CharField(label=gettext_lazy("Deciding document"), max_length=255)


class DraftForm(DescribedForm):
    agency = forms.ModelChoiceField(label=gettext_lazy("Agency"), queryset=Agency.objects.none())
    note = forms.CharField(label=gettext_lazy("What changes"), max_length=500, required=False)

    def __init__(self, agencies, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk
            self.fields["agency"].widget = forms.HiddenInput()


def _show(form, error: ValidationError) -> None:
    """A service's refusal, on the fields it names (or on the whole form)."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _rows(formset):
    """The forms a formset keeps, their rows for the service, and the ids it removes."""
    kept, rows, remove = [], [], []
    for form in formset.forms:
        data = dict(form.cleaned_data)
        if not data:
            continue  # an extra row left empty
        if data.pop("DELETE", False):
            if data["id"]:
                remove.append(data["id"])
            continue
        kept.append(form)
        rows.append(data)
    return kept, rows, remove


def _save_rows(request, formset, errors: list, service, target) -> bool:
    """Hand a valid formset to ``service``; its refusals go on the rows (or in ``errors``)."""
    if not formset.is_valid():
        return False
    kept, rows, remove = _rows(formset)
    try:
        service(request.user, target, rows, remove)
    except services.RowsInvalid as error:
        for position, problem in error.rows.items():
            _show(kept[position], problem)
        return False
    except ValidationError as error:
        errors.extend(error.messages)
        return False
    return True


def _initial(queryset, fields) -> list[dict]:
    return [{"id": obj.pk, **{f: getattr(obj, f) for f in fields}} for obj in queryset]


@staff_required
def index(request):
    """What the signed-in administrator may configure."""
    sections = SECTIONS.get(request.user.role)
    if not sections:
        raise PermissionDenied
    return render(request, "backoffice/config_index.html", {"sections": sections})


def _depths(agencies, root_id) -> list[tuple[Agency, int]]:
    """The agencies of a tree in order, each with its depth below the root."""
    children = {}
    for agency in agencies:
        children.setdefault(agency.parent_id, []).append(agency)
    ordered, stack = [], [(a, 0) for a in reversed(children.get(root_id, []))]
    while stack:
        agency, depth = stack.pop()
        ordered.append((agency, depth))
        stack.extend((a, depth + 1) for a in reversed(children.get(agency.pk, [])))
    return ordered


@staff_required
def units(request):
    """The units below the administrator's agency, and a form for a new one."""
    scope = services.administered_agencies(request.user)
    form = UnitForm(scope, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(request.user, **form.cleaned_data)
        except ValidationError as error:
            _show(form, error)
        else:
            messages.success(request, _("Unit %(unit)s created.") % {"unit": unit.name})
            return redirect("backoffice:config_units")
    tree = Agency.objects.filter(pk__in=scope).exclude(pk=request.user.agency_id)
    return render(
        request,
        "backoffice/config_units.html",
        {"form": form, "units": _depths(tree, request.user.agency_id)},
    )


@staff_required
def unit(request, pk):
    """Rename or close one unit; its reorganisation history."""
    scope = services.administered_agencies(request.user)
    unit = get_object_or_404(
        Agency.objects.filter(pk__in=scope).exclude(pk=request.user.agency_id), pk=pk
    )
    action = request.POST.get("action") if request.method == "POST" else None
    rename = RenameForm(
        request.POST if action == "rename" else None, initial={"short_name": unit.short_name}
    )
    close = CloseForm(request.POST if action == "close" else None)
    try:
        if action == "rename" and rename.is_valid():
            services.rename_unit(request.user, unit, **rename.cleaned_data)
            messages.success(request, _("Unit renamed."))
            return redirect("backoffice:config_unit", pk=unit.pk)
        if action == "close" and close.is_valid():
            services.close_unit(request.user, unit, **close.cleaned_data)
            messages.success(request, _("Unit closed."))
            return redirect("backoffice:config_unit", pk=unit.pk)
    except ValidationError as error:
        _show(rename if action == "rename" else close, error)
    events = AgencyEvent.objects.filter(agency=unit).select_related("recorded_by")
    return render(
        request,
        "backoffice/config_unit.html",
        {"unit": unit, "rename": rename, "close": close, "events": events},
    )


@staff_required
def procedures(request):
    """The procedures the administrator's agency handles."""
    found = services.administered_procedures(request.user).select_related("field")
    return render(request, "backoffice/config_procedures.html", {"procedures": found})


def _procedure(request, pk) -> Procedure:
    return get_object_or_404(services.administered_procedures(request.user), pk=pk)


@staff_required
def procedure(request, pk):
    """A procedure: its national data read-only; its documents, fees and e-form editable
    when only the administrator's agency handles it."""
    procedure = _procedure(request, pk)
    editable = services.owns_procedure(request.user, procedure)
    section = request.POST.get("section") if request.method == "POST" and editable else None
    data = request.POST if section else None
    components = ComponentFormSet(
        data if section == "components" else None,
        prefix="components",
        initial=_initial(
            procedure.components.all(), ["order", "name", "required", "formats", "max_size_mb"]
        ),
    )
    fees = FeeFormSet(
        data if section == "fees" else None,
        prefix="fees",
        initial=_initial(procedure.fees.all(), ["name", "amount", "note"]),
    )
    schema = FormSchemaForm(
        data if section == "form" else None,
        initial={"schema": _schema_text(procedure.form_schema)},
    )
    errors: list[str] = []
    saved = False
    if section == "components":
        saved = _save_rows(request, components, errors, services.configure_components, procedure)
    elif section == "fees":
        saved = _save_rows(request, fees, errors, services.configure_fees, procedure)
    elif section == "form" and schema.is_valid():
        try:
            services.set_form_schema(request.user, procedure, schema.cleaned_data["schema"])
        except ValidationError as error:
            _show(schema, error)
        else:
            saved = True
    if saved:
        messages.success(request, _("Saved."))
        return redirect("backoffice:config_procedure", pk=procedure.pk)
    return render(
        request,
        "backoffice/config_procedure.html",
        {
            "procedure": procedure,
            "editable": editable,
            "components": components,
            "fees": fees,
            "schema": schema,
            "section": section,
            "errors": {section: errors},
        },
    )


def _schema_text(schema: dict) -> str:
    import json

    return json.dumps(schema, ensure_ascii=False, indent=2) if schema else ""


@staff_required
def processes(request, pk):
    """The process versions of a procedure: the agency's own (drafted, edited and published
    here) and the general one every competent agency follows otherwise (read-only)."""
    procedure = _procedure(request, pk)
    scope = services.administered_agencies(request.user)
    agencies = procedure.agencies.filter(pk__in=scope, status=Agency.Status.ACTIVE)
    form = DraftForm(agencies, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.draft_agency_version(
                request.user, procedure, form.cleaned_data["agency"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            _show(form, error)
        else:
            messages.success(request, _("Version %(n)s drafted.") % {"n": draft.number})
            return redirect("backoffice:config_process", pk=draft.pk)
    versions = (
        procedure.process_versions.filter(Q(agency__in=scope) | Q(agency__isnull=True))
        .select_related("agency", "published_by")
        .order_by("agency__code", "-number")
    )
    return render(
        request,
        "backoffice/config_processes.html",
        {"procedure": procedure, "versions": versions, "form": form},
    )


@staff_required
def process(request, pk):
    """One of the agency's process versions: a draft's steps are edited and it is published;
    a published or retired version is shown as it is."""
    scope = services.administered_agencies(request.user)
    version = get_object_or_404(
        ProcessVersion.objects.select_related("procedure", "agency"), pk=pk, agency__in=scope
    )
    steps = version.steps.select_related("unit")
    action = request.POST.get("action") if request.method == "POST" else None
    formset = StepFormSet(
        request.POST if action == "steps" else None,
        prefix="steps",
        initial=_initial(steps, ["order", "name", "role", "unit", "allotted_hours", "is_handoff"]),
    )
    errors: list[str] = []
    if action == "steps" and _save_rows(
        request, formset, errors, services.configure_steps, version
    ):
        messages.success(request, _("Steps saved."))
        return redirect("backoffice:config_process", pk=version.pk)
    publish_errors: list[str] = []
    if action == "publish":
        try:
            services.publish_agency_version(request.user, version)
        except ValidationError as error:
            publish_errors = error.messages
        else:
            messages.success(request, _("Version %(n)s published.") % {"n": version.number})
            return redirect("backoffice:config_process", pk=version.pk)
    total = sum(step.allotted_hours for step in steps)
    return render(
        request,
        "backoffice/config_process.html",
        {
            "version": version,
            "steps": steps,
            "formset": formset,
            "errors": errors,
            "publish_errors": publish_errors,
            "total": total,
            "capacity": services.process_capacity_hours(version.procedure),
        },
    )
