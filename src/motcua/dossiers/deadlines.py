"""Deadline arithmetic of a dossier: pure functions of instants, the calendar and the
profile's rules, with no database access (SPEC §2)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from motcua.calendar.arithmetic import WorkingCalendar
from motcua.profiles.loader import ExtensionRules, Period, ReceptionRules

from .models import Timeliness


def reception_due(submitted_at: datetime, rules: ReceptionRules, calendar: WorkingCalendar):
    """When an online submission must have been received (VP 13.1, HG 6.1).

    Submissions outside working hours count from the next session; where the profile says
    so, a submission too late in a session to be checked in it counts from the next one.
    """
    start = calendar.next_working_instant(submitted_at)
    limit = rules.online_limit
    if rules.whole_limit_in_session and limit.unit == "working_hours":
        end = calendar.session_end(start)
        if calendar.hours_between(start, end) < limit.amount:
            start = calendar.next_working_instant(end)
    return limit.after(start, calendar)


def paper_handover_due(received_at: datetime, rules: ReceptionRules, calendar):
    """When a paper dossier must reach the processing unit: by the end of the working day
    it was received, or by the end of the next morning session when received after the
    cut-off or outside working days (NĐ 61/2018 as amended by NĐ 107/2021)."""
    tz = calendar.tz
    start = calendar.next_working_instant(received_at)
    rank = calendar.position(start) // calendar.day_length
    same_day = start.astimezone(tz).date() == received_at.astimezone(tz).date()
    if same_day and start.astimezone(tz).time() < rules.paper_handover_cutoff:
        return calendar.instant((rank + 1) * calendar.day_length, at_end=True)
    morning = (
        calendar.instant((rank + 1) * calendar.day_length, at_end=False) if same_day else start
    )
    return calendar.session_end(morning)


def processing_clock(
    received_at: datetime, processing_days: Decimal, calendar: WorkingCalendar
) -> tuple[datetime, int]:
    """(appointment, working µs on the clock) for a dossier received at ``received_at``:
    the processing time runs from valid reception (HG 7.1)."""
    due = calendar.add_days(received_at, processing_days)
    return due, calendar.between(received_at, due)


def remaining_at(now: datetime, due_at: datetime, calendar: WorkingCalendar) -> int:
    """Working µs left on the clock at ``now`` (never negative: an overdue clock is at 0)."""
    return max(0, calendar.between(now, due_at))


def step_due(started_at: datetime, allotted_hours: Decimal, calendar: WorkingCalendar):
    return calendar.add_hours(started_at, allotted_hours)


def extension_notice_met(
    now: datetime, due_at: datetime, rules: ExtensionRules, calendar: WorkingCalendar
) -> bool:
    """An extension is asked at least the notice period before the due time (VP 14.4.c)."""
    return rules.notice.after(now, calendar) <= due_at


def classify_finished(
    finished_at: datetime,
    due_at: datetime,
    *,
    extended: bool,
    extension_is_late: bool,
    calendar: WorkingCalendar,
) -> str:
    """Early, on time or late against the (original) due time.

    Late after the due time, or whenever the dossier was extended where an extended dossier
    counts as late (VP 14.4.đ); early when finished before the due working day; otherwise
    on time.
    """
    if finished_at > due_at or (extended and extension_is_late):
        return Timeliness.LATE
    tz = calendar.tz
    if finished_at.astimezone(tz).date() < due_at.astimezone(tz).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


class Progress:
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


def classify_open(now: datetime, due_at: datetime, warning: Period, calendar) -> str:
    """An open dossier (or step) is overdue, due soon (its due time falls within the
    warning period from now) or on track."""
    if now > due_at:
        return Progress.OVERDUE
    if warning.after(now, calendar) >= due_at:
        return Progress.DUE_SOON
    return Progress.ON_TRACK
