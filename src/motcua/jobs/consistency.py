"""The nightly consistency check: the stored due times of every open dossier and active step
against what the engine's own computation (``dossiers.recompute``) derives from the clocks and
the calendar today. Differences are logged and kept in a :class:`ConsistencyReport`; nothing
is changed.

The comparison reads without locks, so that the dossiers being worked on are not held up. Only
the dossiers it finds different are then locked, read again and computed again, so that a
dossier changed by its desk while the check ran is not reported by mistake."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from motcua.calendar.services import calendar_for
from motcua.dossiers.recompute import (
    DOSSIER_FIELDS,
    DOSSIER_INPUTS,
    active_steps,
    dossier_deadlines,
    open_dossiers,
    step_deadline,
)
from motcua.profiles import active_profile

from .models import ConsistencyReport

logger = logging.getLogger(__name__)

CHUNK = 2000


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _compare(dossiers: Iterable, steps: Iterable, profile, calendar) -> tuple[list, int, int]:
    """The differences between stored and computed due times, each with its dossier's id, and
    the numbers of dossiers and steps compared."""
    differences, dossier_count, step_count = [], 0, 0
    for dossier in dossiers:
        dossier_count += 1
        computed = dossier_deadlines(dossier, profile, calendar)
        for name, value in zip(DOSSIER_FIELDS, computed, strict=True):
            if (stored := getattr(dossier, name)) != value:
                differences.append(
                    (
                        dossier.pk,
                        {
                            "dossier": dossier.code,
                            "field": name,
                            "stored": _iso(stored),
                            "computed": _iso(value),
                        },
                    )
                )
    for step in steps:
        step_count += 1
        if (computed := step_deadline(step, calendar)) != step.due_at:
            differences.append(
                (
                    step.dossier_id,
                    {
                        "dossier": step.dossier.code,
                        "field": f"step {step.order} due_at",
                        "stored": _iso(step.due_at),
                        "computed": _iso(computed),
                    },
                )
            )
    return differences, dossier_count, step_count


def _dossiers(queryset):
    return queryset.only("code", *DOSSIER_FIELDS, *DOSSIER_INPUTS)


def _steps(queryset):
    return queryset.select_related("process_step", "dossier").only(
        "order",
        "started_at",
        "due_at",
        "dossier__code",
        "dossier__paused_at",
        "dossier__supplement_count",
        "process_step__allotted_hours",
    )


def check_deadlines() -> dict[str, int]:
    """Report, without changing them, the open dossiers whose stored due times differ from a
    fresh computation."""
    profile = active_profile()
    calendar = calendar_for(profile)
    found, dossiers_checked, steps_checked = _compare(
        _dossiers(open_dossiers()).iterator(chunk_size=CHUNK),
        _steps(active_steps()).iterator(chunk_size=CHUNK),
        profile,
        calendar,
    )
    suspects = sorted({dossier_id for dossier_id, _ in found})
    differences = []
    for start in range(0, len(suspects), CHUNK):  # a few locks at a time, held briefly
        batch = suspects[start : start + CHUNK]
        with transaction.atomic():
            locked = list(
                _dossiers(open_dossiers().filter(pk__in=batch)).select_for_update(of=("self",))
            )
            steps = _steps(active_steps().filter(dossier__in=batch)).select_for_update(of=("self",))
            confirmed, _, _ = _compare(locked, steps, profile, calendar)
        differences += [difference for _, difference in confirmed]
    ConsistencyReport.objects.create(
        dossiers_checked=dossiers_checked, steps_checked=steps_checked, differences=differences
    )
    for difference in differences:
        logger.warning("stored due time differs from the computed one: %s", difference)
    return {"dossiers": dossiers_checked, "steps": steps_checked, "differences": len(differences)}
