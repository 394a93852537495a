"""The jobs that end dossiers whose time ran out, through the dossier engine: an unanswered
supplement request (HG 5.5) and originals not brought in (VP 16.1). Each action locks its
dossier and checks its state, so a dossier another run has just ended is skipped."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime

from django.utils import timezone

from motcua.calendar.services import calendar_for
from motcua.catalogue.models import OnlineLevel
from motcua.dossiers import services
from motcua.dossiers.errors import RuleViolation, TransitionNotAllowed
from motcua.dossiers.models import Dossier, Status
from motcua.profiles import active_profile


def supplement_timeouts(now: datetime | None = None) -> Counter:
    """Cancel the dossiers whose supplement request lapsed unanswered (HG 5.5); where the
    profile sets no timeout no request carries a limit and nothing is done."""
    now = now or timezone.now()
    if active_profile().supplement.timeout is None:
        return Counter()
    lapsed = Dossier.objects.filter(
        status=Status.AWAITING_SUPPLEMENT,
        supplement_requests__answered_at__isnull=True,
        supplement_requests__expires_at__lte=now,
    ).distinct()
    return _apply(services.timeout, lapsed, now)


def originals_expiry(now: datetime | None = None) -> Counter:
    """Let lapse the results of partial-level dossiers whose originals were not brought in
    within the profile's period after the result was ready (VP 16.1)."""
    now = now or timezone.now()
    profile = active_profile()
    period = profile.results.originals_deadline
    if period is None:
        return Counter()
    calendar = calendar_for(profile)
    waiting = Dossier.objects.filter(
        status=Status.RESULT_READY,
        procedure__online_level=OnlineLevel.PARTIAL,
        result_ready_at__isnull=False,
    ).only("pk", "result_ready_at")
    lapsed = [d for d in waiting if period.after(d.result_ready_at, calendar) <= now]
    return _apply(services.expire, lapsed, now)


def _apply(action: Callable, dossiers: Iterable[Dossier], now: datetime) -> Counter:
    outcomes = Counter()
    for dossier in dossiers:
        try:
            action(dossier, at=now)
        except (RuleViolation, TransitionNotAllowed):  # another run ended it meanwhile
            outcomes["skipped"] += 1
        else:
            outcomes[action.__name__] += 1
    return outcomes
