"""Catalogue rules: reorganising agencies and publishing process versions.

Agencies are never deleted (SPEC §1): a rename, merge or closing is one transaction that
changes the row and appends an :class:`AgencyEvent`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.profiles import active_profile

from .models import Agency, AgencyEvent, OneStopDesk, Procedure, ProcessStep, ProcessVersion

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
