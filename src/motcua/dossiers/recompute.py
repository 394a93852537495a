"""Recomputing stored due times when the calendar changes (overrides added or removed)."""

from django.db import transaction

from motcua.calendar.services import calendar_for
from motcua.profiles import active_profile

from . import deadlines
from .models import Dossier, DossierStep, Status


def recompute_open_deadlines() -> dict:
    """Re-derive due times from what the clocks hold: the reception limit from the
    submission, the appointment from the running clock, each active step from its start.
    Explicit dates given to the applicant in an apology are kept."""
    profile = active_profile()
    calendar = calendar_for(profile)
    changed = {"dossiers": 0, "steps": 0}
    with transaction.atomic():
        for dossier in (
            Dossier.objects.select_for_update()
            .filter(status__in=[Status.SUBMITTED, Status.PROCESSING])
            .select_related("procedure")
        ):
            before = (dossier.reception_due_at, dossier.due_at, dossier.original_due_at)
            if dossier.status == Status.SUBMITTED:
                dossier.reception_due_at = deadlines.reception_due(
                    dossier.submitted_at, profile.reception, calendar
                )
            elif dossier.clock_started_at and not dossier.extension_count:
                dossier.due_at = calendar.add(dossier.clock_started_at, dossier.clock_remaining_us)
                if dossier.clock_started_at == dossier.received_at:
                    dossier.original_due_at = dossier.due_at
            if (dossier.reception_due_at, dossier.due_at, dossier.original_due_at) != before:
                dossier.save(update_fields=["reception_due_at", "due_at", "original_due_at"])
                changed["dossiers"] += 1
        steps = (
            DossierStep.objects.select_for_update()
            .filter(
                state=DossierStep.State.ACTIVE,
                dossier__status=Status.PROCESSING,
                dossier__paused_at__isnull=True,
            )
            .select_related("process_step", "dossier")
        )
        for step in steps:
            if step.dossier.supplement_count:
                continue  # its due time was shifted by a pause: keep it
            due = deadlines.step_due(step.started_at, step.process_step.allotted_hours, calendar)
            if due != step.due_at:
                step.due_at = due
                step.save(update_fields=["due_at"])
                changed["steps"] += 1
    return changed
