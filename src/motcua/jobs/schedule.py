"""The scheduled jobs by name (SPEC §3 item 24): Celery beat runs them on the schedule in
``CELERY_BEAT_SCHEDULE``; ``motcua run_jobs`` runs them once on the embedded default. Every
job is safe to run twice at once: warnings have unique keys, lapses go through the engine's
row lock and state check, the outbox sweep skips locked messages, the check changes nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from motcua.outbox.delivery import deliver_pending

from .consistency import check_deadlines
from .lapses import originals_expiry, supplement_timeouts
from .warnings import deadline_warnings, reception_alerts

logger = logging.getLogger(__name__)

JOBS: dict[str, Callable[[], Mapping[str, int]]] = {
    "deadlines": deadline_warnings,
    "reception": reception_alerts,
    "supplements": supplement_timeouts,
    "originals": originals_expiry,
    "consistency": check_deadlines,
    "outbox": deliver_pending,
}


def run(name: str) -> dict[str, int]:
    """Run one job once; returns what it did, by outcome."""
    outcomes = dict(JOBS[name]())
    if outcomes:
        logger.info("job %s: %s", name, outcomes)
    return outcomes
