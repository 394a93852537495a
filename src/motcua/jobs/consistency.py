"""The nightly consistency check: the stored due times of every open dossier and active step
against what the engine's own recomputation (``dossiers.recompute``) derives from the clocks
and the calendar today. Differences are logged and kept in a :class:`ConsistencyReport`;
nothing is changed — the recomputation runs in a transaction that is rolled back."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierStep, Status
from motcua.dossiers.recompute import recompute_open_deadlines

from .models import ConsistencyReport

logger = logging.getLogger(__name__)

DOSSIER_FIELDS = ("reception_due_at", "due_at", "original_due_at")


def _dossier_times() -> dict:
    rows = (
        Dossier.objects.select_for_update()
        .filter(status__in=[Status.SUBMITTED, Status.PROCESSING])
        .values_list("pk", "code", *DOSSIER_FIELDS)
    )
    return {(pk, code): dict(zip(DOSSIER_FIELDS, times, strict=True)) for pk, code, *times in rows}


def _step_times() -> dict:
    rows = (
        DossierStep.objects.select_for_update()
        .filter(state=DossierStep.State.ACTIVE, dossier__status=Status.PROCESSING)
        .values_list("pk", "dossier__code", "order", "due_at")
    )
    return {(pk, code, order): due for pk, code, order, due in rows}


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def check_deadlines() -> dict[str, int]:
    """Report, without changing them, the open dossiers whose stored due times differ from a
    fresh computation."""
    with transaction.atomic():
        dossiers, steps = _dossier_times(), _step_times()
        recompute_open_deadlines()
        dossiers_now, steps_now = _dossier_times(), _step_times()
        transaction.set_rollback(True)
    differences = [
        {"dossier": code, "field": name, "stored": _iso(stored), "computed": _iso(computed)}
        for (pk, code), times in dossiers.items()
        for name, stored in times.items()
        if (computed := dossiers_now[(pk, code)][name]) != stored
    ] + [
        {
            "dossier": code,
            "field": f"step {order} due_at",
            "stored": _iso(stored),
            "computed": _iso(steps_now[(pk, code, order)]),
        }
        for (pk, code, order), stored in steps.items()
        if steps_now[(pk, code, order)] != stored
    ]
    ConsistencyReport.objects.create(
        dossiers_checked=len(dossiers), steps_checked=len(steps), differences=differences
    )
    for difference in differences:
        logger.warning("stored due time differs from the computed one: %s", difference)
    return {"dossiers": len(dossiers), "steps": len(steps), "differences": len(differences)}
