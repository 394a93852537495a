"""The warning jobs: steps due soon or overdue, online dossiers past their reception limit.
The threshold is the profile's ``monitoring.due_soon`` on the working calendar."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from motcua.calendar.services import calendar_for
from motcua.dossiers.deadlines import Progress, classify_open
from motcua.dossiers.models import Dossier, DossierStep, Status
from motcua.outbox.models import OutboxMessage
from motcua.profiles import active_profile

from . import staff


def _given(kind: str, subject: str):
    """The warning of this kind already recorded for the outer row (step or dossier)."""
    key = Concat(Value(staff.key_prefix(kind, subject)), Cast(OuterRef("pk"), CharField()))
    return OutboxMessage.objects.filter(key=key)


def deadline_warnings(now: datetime | None = None) -> Counter:
    """Warn about each active step whose own due time or the dossier's appointment,
    whichever comes first, is near or past: once "due soon", once "overdue"."""
    now = now or timezone.now()
    profile = active_profile()
    calendar = calendar_for(profile)
    threshold = profile.monitoring.due_soon
    horizon = threshold.after(now, calendar)
    steps = (
        DossierStep.objects.filter(
            state=DossierStep.State.ACTIVE,
            dossier__status=Status.PROCESSING,
            dossier__paused_at__isnull=True,
        )
        .filter(Q(due_at__lte=horizon) | Q(dossier__due_at__lte=horizon))
        .exclude(Exists(_given(staff.Kind.OVERDUE, "step")))  # nothing more to say
        .select_related("dossier", "assignee")
        .order_by("id")
    )
    outcomes = Counter()
    for step in steps:
        due = min(d for d in (step.due_at, step.dossier.due_at) if d is not None)
        kind = classify_open(now, due, threshold, calendar)
        if kind == Progress.ON_TRACK:
            continue
        kind = staff.Kind.OVERDUE if kind == Progress.OVERDUE else staff.Kind.DUE_SOON
        new = staff.warn(kind, step.dossier, due, step)
        outcomes[kind if new else "already_warned"] += 1
    return outcomes


def reception_alerts(now: datetime | None = None) -> Counter:
    """Warn once about each online dossier still waiting past its reception limit."""
    now = now or timezone.now()
    outcomes = Counter()
    late = (
        Dossier.objects.filter(status=Status.SUBMITTED, reception_due_at__lt=now)
        .exclude(Exists(_given(staff.Kind.NOT_RECEIVED, "dossier")))
        .order_by("reception_due_at", "id")
    )
    for dossier in late:
        new = staff.warn(staff.Kind.NOT_RECEIVED, dossier, dossier.reception_due_at)
        outcomes[staff.Kind.NOT_RECEIVED if new else "already_warned"] += 1
    return outcomes
