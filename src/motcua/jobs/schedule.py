"""The scheduled jobs by name (SPEC §3 item 24): Celery beat runs them on the schedule in
``CELERY_BEAT_SCHEDULE``; ``motcua run_jobs`` runs them once on the embedded default. Every
job is safe to run twice at once: warnings have unique keys, lapses go through the engine's
row lock and state check, the outbox sweep skips locked messages, the check changes nothing,
a purge deletes only rows no one needs any more."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from motcua.identity.otp import purge_codes
from motcua.nationalportal import services as national_portal
from motcua.outbox.delivery import deliver_pending
from motcua.payments.services import reconcile
from motcua.reports.scheduled import run_scheduled as scheduled_reports

from .consistency import check_deadlines
from .lapses import originals_expiry, supplement_timeouts
from .warnings import deadline_warnings, reception_alerts

logger = logging.getLogger(__name__)


def national_dossiers() -> dict[str, int]:
    """Dossiers submitted on the national portal, taken in once each (SPEC §3 item 22)."""
    report = national_portal.pull_dossiers()
    return {
        "created": len(report.created),
        "refused": len(report.refused),
        "acknowledged": report.acknowledged,
    }


def national_catalogue() -> dict[str, int]:
    """The catalogue brought in line with the national procedure database."""
    report = national_portal.sync_catalogue()
    return {
        "changed": len(report.changed),
        "unknown": len(report.unknown),
        "failed": len(report.failed),
    }


JOBS: dict[str, Callable[[], Mapping[str, int]]] = {
    "deadlines": deadline_warnings,
    "reception": reception_alerts,
    "supplements": supplement_timeouts,
    "originals": originals_expiry,
    "consistency": check_deadlines,
    "outbox": deliver_pending,
    "payments": reconcile,
    "national-dossiers": national_dossiers,
    "national-catalogue": national_catalogue,
    "phone-codes": purge_codes,
    "reports": scheduled_reports,
}


def run(name: str) -> dict[str, int]:
    """Run one job once; returns what it did, by outcome."""
    outcomes = dict(JOBS[name]())
    if outcomes:
        logger.info("job %s: %s", name, outcomes)
    return outcomes
