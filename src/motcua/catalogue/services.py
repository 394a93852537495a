"""Catalogue rules: reorganising agencies and publishing process versions.

Agencies are never deleted (SPEC §1): a rename, merge or closing is one transaction that
changes the row and appends an :class:`AgencyEvent`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import jsonschema
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError, Sum
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import override

from motcua.accounts.models import Role
from motcua.audit import services as audit
from motcua.profiles import active_profile

from .forms_schema import FIELD_TYPES, META_SCHEMA, FormSchemaError, validate_form_schema
from .models import (
    Agency,
    AgencyEvent,
    Component,
    Fee,
    OneStopDesk,
    Procedure,
    ProcessStep,
    ProcessVersion,
    ProcessVersionLocked,
)

#: Work other apps carry from a merged agency to its target: ``handler(source, target, actor)``
#: runs inside the merge transaction and returns a summary for the merge event.
MergeHandler = Callable[[Agency, Agency, object], dict]
_merge_handlers: dict[str, MergeHandler] = {}


def register_merge_handler(name: str, handler: MergeHandler) -> None:
    """Let an app carry its open work over when agencies merge (e.g. open dossiers)."""
    _merge_handlers[name] = handler


def _locked(agency: Agency) -> Agency:
    return Agency.objects.select_for_update().get(pk=agency.pk)


def _require_active(agency: Agency) -> None:
    if not agency.is_active:
        raise ValidationError(
            _("%(agency)s is no longer active (%(status)s).")
            % {"agency": agency, "status": agency.get_status_display()},
            code="agency_inactive",
        )


@transaction.atomic
def create_agency(
    agency: Agency, *, actor=None, on: date | None = None, decision: str = ""
) -> Agency:
    """Save a new agency and record its creation."""
    agency.full_clean()
    agency.save()
    AgencyEvent.objects.create(
        agency=agency,
        kind=AgencyEvent.Kind.CREATED,
        occurred_on=on or timezone.localdate(),
        new_name=agency.name,
        decision=decision,
        recorded_by=actor,
    )
    audit.record(actor, "agency.create", agency, {"code": agency.code, "name": agency.name})
    return agency


@transaction.atomic
def rename_agency(
    agency: Agency,
    new_name: str,
    *,
    actor=None,
    on: date | None = None,
    short_name: str | None = None,
    decision: str = "",
) -> Agency:
    agency = _locked(agency)
    _require_active(agency)
    new_name = new_name.strip()
    if not new_name or new_name == agency.name:
        raise ValidationError(_("Give the agency a new name."), code="same_name")
    old_name, agency.name = agency.name, new_name
    if short_name is not None:
        agency.short_name = short_name
    agency.save(update_fields=["name", "short_name"])
    AgencyEvent.objects.create(
        agency=agency,
        kind=AgencyEvent.Kind.RENAMED,
        occurred_on=on or timezone.localdate(),
        old_name=old_name,
        new_name=new_name,
        decision=decision,
        recorded_by=actor,
    )
    audit.record(actor, "agency.rename", agency, {"from": old_name, "to": new_name})
    return agency


@transaction.atomic
def merge_agency(
    source: Agency, target: Agency, *, actor=None, on: date | None = None, decision: str = ""
) -> AgencyEvent:
    """Merge ``source`` into ``target``: its units, desks, procedures, staff and every
    registered kind of open work move to ``target``; ``source`` stays, marked merged, so its
    codes on closed records and in reports keep their meaning."""
    source, target = _locked(source), _locked(target)
    if source.pk == target.pk:
        raise ValidationError(_("An agency cannot be merged into itself."), code="merge_self")
    _require_active(source)
    _require_active(target)
    ancestor = target
    while ancestor is not None:
        if ancestor.pk == source.pk:
            raise ValidationError(
                _("An agency cannot be merged into one of its own units."), code="merge_cycle"
            )
        ancestor = ancestor.parent

    moved = {
        "units": Agency.objects.filter(parent=source).update(parent=target),
        "desks": OneStopDesk.objects.filter(agency=source).update(agency=target),
        "staff": source.staff.update(agency=target),
    }
    for desk in OneStopDesk.objects.filter(served_agencies=source):
        desk.served_agencies.remove(source)
        desk.served_agencies.add(target)
        moved.setdefault("desk_links", 0)
        moved["desk_links"] += 1
    procedures = list(source.procedures.all())
    for procedure in procedures:
        procedure.agencies.remove(source)
        procedure.agencies.add(target)
    moved["procedures"] = len(procedures)
    for name, handler in _merge_handlers.items():
        moved[name] = handler(source, target, actor)

    source.status = Agency.Status.MERGED
    source.merged_into = target
    source.closed_on = on or timezone.localdate()
    source.save(update_fields=["status", "merged_into", "closed_on"])
    audit.record(actor, "agency.merge", source, {"into": target.code, "moved": moved})
    return AgencyEvent.objects.create(
        agency=source,
        kind=AgencyEvent.Kind.MERGED,
        occurred_on=source.closed_on,
        target=target,
        old_name=source.name,
        decision=decision,
        details=moved,
        recorded_by=actor,
    )


@transaction.atomic
def close_agency(
    agency: Agency, *, actor=None, on: date | None = None, decision: str = ""
) -> AgencyEvent:
    """Close an agency that has no active units, procedures or staff left."""
    agency = _locked(agency)
    _require_active(agency)
    if agency.children.filter(status=Agency.Status.ACTIVE).exists():
        raise ValidationError(_("Close or merge its units first."), code="has_units")
    if (
        agency.procedures.filter(is_active=True).exists()
        or agency.staff.filter(is_active=True).exists()
    ):
        raise ValidationError(
            _("The agency still has procedures or staff: merge it instead."), code="has_work"
        )
    agency.status = Agency.Status.CLOSED
    agency.closed_on = on or timezone.localdate()
    agency.save(update_fields=["status", "closed_on"])
    audit.record(actor, "agency.close", agency, {"decision": decision})
    return AgencyEvent.objects.create(
        agency=agency,
        kind=AgencyEvent.Kind.CLOSED,
        occurred_on=agency.closed_on,
        old_name=agency.name,
        decision=decision,
        recorded_by=actor,
    )


def process_capacity_hours(procedure: Procedure) -> Decimal:
    """Working hours a procedure's processing time allows in the active profile's days."""
    return procedure.processing_days * active_profile().calendar.hours_per_day


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"


def check_process_fits(version: ProcessVersion) -> None:
    """The steps must exist and fit within the procedure's processing time."""
    steps = version.steps.all()
    if not steps.exists():
        raise ValidationError(_("A process needs at least one step."), code="no_steps")
    total = steps.aggregate(total=Sum("allotted_hours"))["total"]
    capacity = process_capacity_hours(version.procedure)
    if total > capacity:
        raise ValidationError(
            _(
                "The steps take %(total)s working hours but the procedure allows only "
                "%(capacity)s (%(days)s working days)."
            ),
            code="process_too_long",
            params={
                "total": _plain(total),
                "capacity": _plain(capacity),
                "days": _plain(version.procedure.processing_days),
            },
        )


@transaction.atomic
def publish_process_version(version: ProcessVersion, *, actor=None) -> ProcessVersion:
    """Publish a draft: it becomes the version new dossiers start with; the previous one is
    retired but stays attached, unchanged, to the dossiers that use it."""
    version = ProcessVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_editable:
        raise ValidationError(_("Only a draft can be published."), code="process_version_not_draft")
    check_process_fits(version)
    ProcessVersion.objects.filter(
        procedure=version.procedure,
        agency=version.agency,
        status=ProcessVersion.Status.PUBLISHED,
    ).update(status=ProcessVersion.Status.RETIRED)
    version.status = ProcessVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor
    version.save(update_fields=["status", "published_at", "published_by"])
    audit.record(actor, "process.publish", version, {"procedure": version.procedure_id})
    return version


@transaction.atomic
def draft_next_version(
    procedure: Procedure, *, agency: Agency | None = None, note: str = ""
) -> ProcessVersion:
    """A new draft version (general, or for one agency), starting as a copy of the latest
    version in the same scope, or of the procedure's current general process."""
    latest = (
        procedure.process_versions.select_for_update()
        .filter(agency=agency)
        .order_by("-number")
        .first()
    )
    draft = ProcessVersion.objects.create(
        procedure=procedure,
        agency=agency,
        number=(latest.number + 1) if latest else 1,
        note=note,
    )
    template = latest or procedure.current_process()
    if template is not None:
        for step in template.steps.all():
            ProcessStep.objects.create(
                version=draft,
                order=step.order,
                name=step.name,
                role=step.role,
                unit=step.unit,
                allotted_hours=step.allotted_hours,
                is_handoff=step.is_handoff,
            )
    return draft


# -- configuration by an agency administrator (SPEC §3 item 17) ------------------------------
#
# An agency administrator configures what belongs to the agency's own tree: its units, the
# documents, fees and e-form of the procedures only that tree handles, and the agency's own
# process versions. The rest of a procedure (national code, name, field, level, competent
# agencies, online level, processing time, who may apply, result, legal basis) is national or
# province data, published by the province (BN 6, HT 3.1.a), and stays read-only here. Every
# change is one transaction; units are journalled as AgencyEvents, the rest in the admin's
# change journal (LogEntry), the publication on the version itself.

#: Orders of list rows stay below this bound; rows are moved past it while being renumbered.
MAX_ORDER = 999


class RowsInvalid(ValidationError):
    """Rows of an edited list were refused: ``rows`` maps a row's position in the list given
    to the service to its errors (a ValidationError with a field → messages dict)."""

    def __init__(self, rows: dict[int, ValidationError]):
        super().__init__([message for error in rows.values() for message in error.messages])
        self.rows = rows


def administered_agencies(admin) -> list[int]:
    """The agency an administrator manages and the units below it; refused to anyone else."""
    from motcua.dossiers.access import agency_scope

    if admin.role != Role.AGENCY_ADMIN or not admin.is_active or admin.agency_id is None:
        raise PermissionDenied
    return agency_scope(admin)


def administered_procedures(admin):
    """Procedures that at least one agency of the administrator's tree handles."""
    scope = administered_agencies(admin)
    return Procedure.objects.filter(agencies__in=scope).distinct()


def owns_procedure(admin, procedure: Procedure) -> bool:
    """Documents, fees and e-form are the agency's to configure only when no agency outside
    its tree handles the procedure: a shared procedure is configured by the province."""
    scope = set(administered_agencies(admin))
    competent = set(procedure.agencies.values_list("pk", flat=True))
    return bool(competent) and competent <= scope


def journal(actor, obj, message: list, *, added: bool = False) -> None:
    """One entry of the change journal the Django admin keeps (and shows as history)."""
    from django.contrib.admin.models import ADDITION, CHANGE, LogEntry

    flag = ADDITION if added else CHANGE
    LogEntry.objects.log_actions(actor.pk, [obj], flag, message, single_object=True)
    audit.record(actor, "catalogue.change", obj, {"changes": message})


def _administered_unit(admin, unit: Agency) -> Agency:
    """A unit below the administrator's agency (the agency itself is the province's)."""
    if unit.pk == admin.agency_id or unit.pk not in administered_agencies(admin):
        raise PermissionDenied
    return unit


@transaction.atomic
def create_unit(
    admin, *, parent: Agency, code: str, name: str, short_name: str = "", decision: str = ""
) -> Agency:
    """A new unit of the administrator's agency, under the agency or one of its units."""
    if parent.pk not in administered_agencies(admin):
        raise PermissionDenied
    parent = _locked(parent)
    _require_active(parent)
    unit = Agency(
        code=code.strip(),
        name=name.strip(),
        short_name=short_name.strip(),
        level=Agency.Level.UNIT,
        parent=parent,
    )
    return create_agency(unit, actor=admin, decision=decision)


def rename_unit(
    admin, unit: Agency, new_name: str, *, short_name: str = "", decision: str = ""
) -> Agency:
    return rename_agency(
        _administered_unit(admin, unit),
        new_name,
        actor=admin,
        short_name=short_name.strip(),
        decision=decision,
    )


def close_unit(admin, unit: Agency, *, decision: str = "") -> AgencyEvent:
    return close_agency(_administered_unit(admin, unit), actor=admin, decision=decision)


def _owned_procedure(admin, procedure: Procedure) -> Procedure:
    if not owns_procedure(admin, procedure):
        raise PermissionDenied
    return Procedure.objects.select_for_update().get(pk=procedure.pk)


def apply_rows(queryset, parent: dict, rows: list[dict], remove, *, ordered: bool) -> list:
    """Update, add and remove the rows of one list in one go; returns the admin journal's
    change message. ``rows`` carry an ``id`` for existing rows (``None`` for new ones)."""
    model = queryset.model
    existing = {obj.pk: obj for obj in queryset.select_for_update()}
    remove = set(remove)
    if ({row["id"] for row in rows if row.get("id")} | remove) - existing.keys():
        raise PermissionDenied  # a row of another list
    with override(None):  # the journal is kept untranslated, as the admin keeps it
        name = str(model._meta.verbose_name)
    changes, errors, kept = [], {}, []
    for position, row in enumerate(rows):
        obj = existing[row["id"]] if row.get("id") else model(**parent)
        changed = [key for key, value in row.items() if key != "id" and getattr(obj, key) != value]
        for key, value in row.items():
            if key != "id":
                setattr(obj, key, value)
        try:
            obj.full_clean(exclude=list(parent), validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors[position] = error
        if ordered and position not in errors:
            taken = {other.order for other in kept}
            if not 1 <= obj.order <= MAX_ORDER:
                problem = _("Use an order from 1 to %(max)s.") % {"max": MAX_ORDER}
            elif obj.order in taken:
                problem = _("Another row already has the order %(n)s.") % {"n": obj.order}
            else:
                problem = None
            if problem:
                errors[position] = ValidationError({"order": problem})
        kept.append(obj)
        if obj.pk is None:
            changes.append({"added": {"name": name, "object": str(obj)}})
        elif changed:
            changes.append({"changed": {"name": name, "object": str(obj), "fields": changed}})
    if errors:
        raise RowsInvalid(errors)
    for pk in remove:
        obj = existing[pk]
        try:
            obj.delete()
        except ProtectedError:
            raise ValidationError(
                _("%(row)s is used by dossiers and cannot be removed.") % {"row": obj},
                code="row_in_use",
            ) from None
        changes.append({"deleted": {"name": name, "object": str(obj)}})
    if ordered:
        queryset.filter(pk__in=[obj.pk for obj in kept if obj.pk]).update(
            order=F("order") + MAX_ORDER + 1
        )
    for obj in kept:
        obj.save()
    return changes


@transaction.atomic
def configure_components(admin, procedure: Procedure, rows: list[dict], remove=()) -> Procedure:
    """The documents of a procedure's dossier: name, required, formats, size limit, order.
    A document that submitted dossiers hold cannot be removed (make it optional instead)."""
    procedure = _owned_procedure(admin, procedure)
    changes = apply_rows(
        Component.objects.filter(procedure=procedure),
        {"procedure": procedure},
        rows,
        remove,
        ordered=True,
    )
    if changes:
        journal(admin, procedure, changes)
    return procedure


@transaction.atomic
def configure_fees(admin, procedure: Procedure, rows: list[dict], remove=()) -> Procedure:
    """The fees and charges of a procedure; dossiers keep the fee they were charged."""
    procedure = _owned_procedure(admin, procedure)
    changes = apply_rows(
        Fee.objects.filter(procedure=procedure),
        {"procedure": procedure},
        rows,
        remove,
        ordered=False,
    )
    if changes:
        journal(admin, procedure, changes)
    return procedure


def parse_form_schema(text: str) -> dict:
    """An e-form schema typed as JSON, checked as the Portal needs it (SPEC §3 item 3); a
    refusal says where and why in the user's language."""
    if not text.strip():
        return {}
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("This is not valid JSON (line %(line)s, column %(column)s).")
            % {"line": error.lineno, "column": error.colno},
            code="invalid_json",
        ) from None
    if not isinstance(schema, dict):
        raise ValidationError(
            _('The schema is a JSON object: {"fields": [...]}.'), code="invalid_form_schema"
        )
    try:
        validate_form_schema(schema)
    except FormSchemaError:
        mistake = jsonschema.exceptions.best_match(
            jsonschema.validators.validator_for(META_SCHEMA)(META_SCHEMA).iter_errors(schema)
        )
        if mistake is None:
            message = _("Two fields of the form have the same name.")
        else:
            message = _("%(place)s: %(problem)s") % {
                "place": capfirst(_schema_place(list(mistake.absolute_path))),
                "problem": _schema_problem(mistake),
            }
        raise ValidationError(message, code="invalid_form_schema") from None
    return schema


def _schema_place(path: list) -> str:
    if len(path) >= 2 and path[0] == "fields" and isinstance(path[1], int):
        place = _("field %(n)s of the form") % {"n": path[1] + 1}
        return place + (f" «{path[2]}»" if len(path) > 2 else "")
    return _("the schema") + "".join(f" «{part}»" for part in path)


def _schema_problem(mistake) -> str:
    kind = mistake.validator
    if kind == "required":
        missing = next(iter(mistake.validator_value))
        for name in mistake.validator_value:
            if name not in mistake.instance:
                missing = name
                break
        return _("the property «%(name)s» is missing") % {"name": missing}
    if kind == "additionalProperties":
        return _("unknown property; allowed: %(allowed)s") % {
            "allowed": ", ".join(mistake.schema.get("properties", {}))
        }
    if kind == "enum":
        return _("the type must be one of: %(types)s") % {"types": ", ".join(FIELD_TYPES)}
    if kind == "pattern":
        return _(
            "a field name starts with a lower-case letter and holds only lower-case letters, "
            "digits and _"
        )
    if kind == "type":
        return _("the value has the wrong type (expected %(type)s)") % {
            "type": mistake.validator_value
        }
    if kind in ("minLength", "minItems"):
        return _("the value cannot be empty")
    if kind == "minimum":
        return _("the value must be at least %(n)s") % {"n": mistake.validator_value}
    if kind in ("not", "if", "then", "else", "allOf"):
        return _("only a «select» field has «choices», and it must have them")
    return _("the value is not allowed")


@transaction.atomic
def set_form_schema(admin, procedure: Procedure, schema: dict) -> Procedure:
    """Replace a procedure's e-form; dossiers already filled keep their data."""
    procedure = _owned_procedure(admin, procedure)
    try:
        validate_form_schema(schema)
    except FormSchemaError as error:
        raise ValidationError({"form_schema": str(error)}) from None
    if schema != procedure.form_schema:
        procedure.form_schema = schema
        procedure.save(update_fields=["form_schema", "updated_at"])
        journal(admin, procedure, [{"changed": {"fields": ["form_schema"]}}])
    return procedure


def _administered_version(admin, version: ProcessVersion) -> ProcessVersion:
    """An agency's own process version, locked; the general one belongs to the province."""
    if version.agency_id is None or version.agency_id not in administered_agencies(admin):
        raise PermissionDenied
    return ProcessVersion.objects.select_for_update().get(pk=version.pk)


@transaction.atomic
def draft_agency_version(
    admin, procedure: Procedure, agency: Agency, *, note: str = ""
) -> ProcessVersion:
    """The next draft of the process one of the administrator's agencies follows for a
    procedure it handles; one draft at a time."""
    if (
        agency.pk not in administered_agencies(admin)
        or not procedure.agencies.filter(pk=agency.pk).exists()
    ):
        raise PermissionDenied
    Procedure.objects.select_for_update().get(pk=procedure.pk)
    pending = procedure.process_versions.filter(
        agency=agency, status=ProcessVersion.Status.DRAFT
    ).first()
    if pending is not None:
        raise ValidationError(
            _("Version %(n)s is still a draft: publish or edit it first.") % {"n": pending.number},
            code="draft_exists",
        )
    draft = draft_next_version(procedure, agency=agency, note=note)
    journal(admin, draft, [{"added": {}}], added=True)
    return draft


@transaction.atomic
def configure_steps(admin, version: ProcessVersion, rows: list[dict], remove=()) -> ProcessVersion:
    """The steps of a draft: name, role, unit, allotted working hours, order. A step's unit
    belongs to the agency's tree, except on a hand-off step, which names the other agency
    that takes the dossier over (liên thông, HG 7.1)."""
    version = _administered_version(admin, version)
    if not version.is_editable:
        raise ProcessVersionLocked(version)
    own = set(administered_agencies(admin))
    errors = {}
    for position, row in enumerate(rows):
        unit = row.get("unit")
        if unit is None:
            continue
        if not unit.is_active:
            errors[position] = ValidationError({"unit": _("This agency is no longer active.")})
        elif row.get("is_handoff") and unit.pk in own:
            errors[position] = ValidationError(
                {"unit": _("A hand-off goes to an agency outside your own.")}
            )
        elif not row.get("is_handoff") and unit.pk not in own:
            errors[position] = ValidationError(
                {"unit": _("Choose a unit of your agency, or mark the step as a hand-off.")}
            )
    if errors:
        raise RowsInvalid(errors)
    changes = apply_rows(
        ProcessStep.objects.filter(version=version),
        {"version": version},
        rows,
        remove,
        ordered=True,
    )
    if changes:
        journal(admin, version, changes)
    return version


def publish_agency_version(admin, version: ProcessVersion) -> ProcessVersion:
    """Publish one of the agency's drafts (the steps must fit the processing time)."""
    with transaction.atomic():
        version = _administered_version(admin, version)
        return publish_process_version(version, actor=admin)
