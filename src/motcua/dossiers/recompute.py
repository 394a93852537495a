"""Recomputing stored due times when the calendar changes (overrides added or removed).

What a dossier's or a step's due times should be is computed per row, without writing
(:func:`dossier_deadlines`, :func:`step_deadline`): :func:`recompute_open_deadlines` stores
it under row locks, the nightly consistency check (``motcua.jobs.consistency``) only compares."""

from datetime import datetime

from django.db import transaction

from motcua.calendar.arithmetic import WorkingCalendar
from motcua.calendar.services import calendar_for
from motcua.profiles import active_profile

from . import deadlines
from .models import Dossier, DossierStep, Status

#: The stored due times of a dossier that the clocks determine.
DOSSIER_FIELDS = ("reception_due_at", "due_at", "original_due_at")
#: What :func:`dossier_deadlines` reads from a dossier row.
DOSSIER_INPUTS = (
    "status",
    "submitted_at",
    "received_at",
    "clock_started_at",
    "clock_remaining_us",
    "extension_count",
)


def open_dossiers():
    """The dossiers whose due times still run."""
    return Dossier.objects.filter(status__in=[Status.SUBMITTED, Status.PROCESSING])


def active_steps():
    """The steps being worked on in dossiers under processing."""
    return DossierStep.objects.filter(
        state=DossierStep.State.ACTIVE, dossier__status=Status.PROCESSING
    )


def dossier_deadlines(dossier: Dossier, profile, calendar: WorkingCalendar) -> tuple:
    """The due times (:data:`DOSSIER_FIELDS`) the clocks give the dossier today: the reception
    limit from the submission, the appointment from the running clock. Explicit dates given to
    the applicant in an apology (an extension) are kept."""
    reception_due_at, due_at, original_due_at = (getattr(dossier, f) for f in DOSSIER_FIELDS)
    if dossier.status == Status.SUBMITTED:
        reception_due_at = deadlines.reception_due(
            dossier.submitted_at, profile.reception, calendar
        )
    elif dossier.clock_started_at and not dossier.extension_count:
        due_at = calendar.add(dossier.clock_started_at, dossier.clock_remaining_us)
        if dossier.clock_started_at == dossier.received_at:
            original_due_at = due_at
    return reception_due_at, due_at, original_due_at


def step_deadline(step: DossierStep, calendar: WorkingCalendar) -> datetime | None:
    """The due time of an active step from its start; its stored one while the dossier is
    paused or after a pause shifted it (supplements)."""
    if step.dossier.paused_at is not None or step.dossier.supplement_count:
        return step.due_at
    return deadlines.step_due(step.started_at, step.process_step.allotted_hours, calendar)


def recompute_open_deadlines() -> dict:
    """Store the due times of every open dossier and active step as computed today."""
    profile = active_profile()
    calendar = calendar_for(profile)
    changed = {"dossiers": 0, "steps": 0}
    with transaction.atomic():
        for dossier in open_dossiers().select_for_update():
            computed = dossier_deadlines(dossier, profile, calendar)
            if computed != tuple(getattr(dossier, f) for f in DOSSIER_FIELDS):
                for name, value in zip(DOSSIER_FIELDS, computed, strict=True):
                    setattr(dossier, name, value)
                dossier.save(update_fields=list(DOSSIER_FIELDS))
                changed["dossiers"] += 1
        steps = (
            active_steps()
            .filter(dossier__paused_at__isnull=True)
            .select_for_update()
            .select_related("process_step", "dossier")
        )
        for step in steps:
            due = step_deadline(step, calendar)
            if due != step.due_at:
                step.due_at = due
                step.save(update_fields=["due_at"])
                changed["steps"] += 1
    return changed
