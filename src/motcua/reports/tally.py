"""Counting each state change into the tallies, in the transaction that makes it.

:func:`deltas` reads one history event (with the dossier it belongs to) and says which
counters of which agency and reporting month it moves; :func:`record` applies them with one
atomic upsert per row, so concurrent transitions never lose a count. Everything a delta needs
is on the event itself, which is what lets :mod:`motcua.reports.rebuild` recompute the
tallies from the history alone.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection
from django.utils import timezone

from motcua.catalogue.models import OnlineLevel
from motcua.dossiers.models import Channel, Status, Timeliness

from .models import COUNTERS, Tally

RECEIVED_BY_CHANNEL = {
    Channel.ONLINE: "received_online",
    Channel.DESK: "received_desk",
    Channel.POSTAL: "received_postal",
    Channel.NATIONAL_PORTAL: "received_national",
}
SETTLED_BY_TIMELINESS = {
    Timeliness.EARLY: "settled_early",
    Timeliness.ON_TIME: "settled_on_time",
    Timeliness.LATE: "settled_late",
}
#: Received dossiers that are still being settled (Biểu 06 "đang giải quyết").
IN_PROGRESS_STATES = (Status.PROCESSING, Status.AWAITING_SUPPLEMENT)


@dataclass(frozen=True)
class Delta:
    agency_id: int
    procedure_id: int
    month: date
    counts: dict


def reporting_month(at: datetime, closes_on_day: int = 0) -> date:
    """The first day of the reporting month that ``at`` (local time) belongs to.

    Where the profile closes monthly periods on a day of the month (the 14th under
    NĐ 09/2019/NĐ-CP art. 12, as BN 24.1 and TN 21.3 apply it), a later day belongs to the
    next month's report; otherwise the calendar month is the reporting month (VP 24.1).
    """
    day = timezone.localtime(at).date()
    if closes_on_day and day.day > closes_on_day:
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return day.replace(day=1)


def _received_action(dossier, event) -> Counter:
    counts = Counter({RECEIVED_BY_CHANNEL[dossier.channel]: 1})
    full_online = dossier.procedure.online_level == OnlineLevel.FULL
    if full_online and dossier.channel in (Channel.ONLINE, Channel.NATIONAL_PORTAL):
        counts["received_full_online"] = 1
    if event.data.get("digitised"):
        counts["digitised"] = 1
    return counts


def _settled(dossier, event) -> Counter:
    timeliness = event.data.get("timeliness") or dossier.timeliness
    counts = Counter({SETTLED_BY_TIMELINESS[timeliness]: 1})
    if event.action == "decline":
        counts["declined"] = 1
    return counts


def _was_received(event, received: bool) -> bool:
    return received and event.from_status in IN_PROGRESS_STATES


def deltas(dossier, event, *, received: bool, source_agency_id=None, closes_on_day=0):
    """The counter changes one event makes. ``received`` says whether the dossier had been
    received when the event happened; ``source_agency_id`` is the agency a merge moved the
    dossier from."""
    month = reporting_month(event.at, closes_on_day)
    here = dossier.agency_id
    counts = Counter()
    action = event.action
    if action == "receive":
        counts = _received_action(dossier, event)
    elif action in ("complete", "decline"):
        counts = _settled(dossier, event)
    elif action == "withdraw" and _was_received(event, received):
        counts["withdrawn"] = 1
    elif action == "timeout" and _was_received(event, received):
        counts["cancelled"] = 1
    elif action == "pay":
        counts["paid"] = 1
        if event.actor_id is None:
            counts["paid_online"] = 1
    elif action == "return_result":
        counts["returned"] = 1
        if event.data.get("e_result"):
            counts["e_results"] = 1
    elif action == "agency_merged" and _was_received(event, received):
        return [
            Delta(source_agency_id, dossier.procedure_id, month, {"moved_out": 1}),
            Delta(here, dossier.procedure_id, month, {"moved_in": 1}),
        ]
    return [Delta(here, dossier.procedure_id, month, dict(counts))] if counts else []


_TABLE = Tally._meta.db_table


_UPSERT = (
    f"INSERT INTO {_TABLE} (agency_id, procedure_id, month, {', '.join(COUNTERS)}) "
    f"VALUES ({', '.join(['%s'] * (3 + len(COUNTERS)))}) "
    "ON CONFLICT (agency_id, procedure_id, month) DO UPDATE SET "
    + ", ".join(f"{name} = {_TABLE}.{name} + excluded.{name}" for name in COUNTERS)
)


def _upsert(delta: Delta) -> None:
    counts = [delta.counts.get(name, 0) for name in COUNTERS]
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [delta.agency_id, delta.procedure_id, delta.month, *counts])


def closes_on_day(profile) -> int:
    """The day monthly reporting periods close on in ``profile`` (0: end of the month)."""
    for report in profile.reports:
        if report.period == "month":
            return report.closes_on_day
    return next((report.closes_on_day for report in profile.reports), 0)


def record(dossier, event, *, profile, received: bool, source_agency_id=None) -> None:
    """Count ``event`` into the tallies; call inside the transaction that wrote it."""
    for delta in deltas(
        dossier,
        event,
        received=received,
        source_agency_id=source_agency_id,
        closes_on_day=closes_on_day(profile),
    ):
        _upsert(delta)
