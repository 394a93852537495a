"""Working-time arithmetic on a province's legal calendar (SPEC §4).

Pure and database-free: a :class:`WorkingCalendar` is built from working sessions, a
predicate telling which dates are working days, and the province's overrides. Every
operation maps instants to a *working-time position*: the working time elapsed since the
start of the calendar's index. Positions are integers of microseconds, so the arithmetic
is exact; finding a position is a ``bisect`` in a sorted index of working days, so its cost
does not grow with the span (no day-by-day loops).

Sessions are half-open intervals ``[start, end)`` on working days. Adding a positive amount
returns the *earliest* instant at which that much working time has elapsed, which may be a
session's end (11:30, 17:00); adding zero returns the next working instant.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from zoneinfo import ZoneInfo

MICROSECONDS_PER_HOUR = 3_600_000_000
_INDEX_CHUNK_YEARS = 10


class CalendarError(ValueError):
    """An operation the calendar cannot perform (naive instant, negative amount, …)."""


@dataclass(frozen=True)
class Session:
    """One working session of a day, ``[start, end)`` in local time."""

    start: time
    end: time

    def __post_init__(self):
        if self.start >= self.end:
            raise CalendarError(f"session {self.start}–{self.end} is empty")


def hours_to_microseconds(hours: Decimal | int | str) -> int:
    """Exact conversion of a (decimal) number of hours, rounded to the microsecond."""
    return _round(Decimal(hours) * MICROSECONDS_PER_HOUR)


def _round(microseconds: Decimal) -> int:
    return int(microseconds.to_integral_value(rounding=ROUND_HALF_EVEN))


def microseconds_to_hours(microseconds: int) -> Decimal:
    return Decimal(microseconds) / Decimal(MICROSECONDS_PER_HOUR)


def _micro_of_day(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


@dataclass(frozen=True)
class _IndexSpan:
    """An immutable snapshot of the index, swapped whole so readers never see a half-update."""

    first_year: int
    last_year: int
    ordinals: tuple[int, ...]
    offset: int  # working days prepended since the origin was fixed


class _WorkingDayIndex:
    """Sorted ordinals of the working days in a range of years, extended on demand.

    ``rank(d)`` is the number of working days before ``d`` counted from a fixed origin; it
    is a bisect, so finding the n-th working day after a date costs O(log n).
    """

    def __init__(self, is_working_day: Callable[[date], bool]):
        self._is_working_day = is_working_day
        self._lock = threading.Lock()
        self._span: _IndexSpan | None = None

    def _working_days(self, first_year: int, last_year: int) -> tuple[int, ...]:
        first = date(first_year, 1, 1).toordinal()
        last = date(last_year, 12, 31).toordinal()
        return tuple(
            ordinal
            for ordinal in range(first, last + 1)
            if self._is_working_day(date.fromordinal(ordinal))
        )

    def _covering(self, year: int) -> _IndexSpan:
        """The index, extended by whole chunks of years until it covers ``year``."""
        span = self._span
        if span is not None and span.first_year <= year <= span.last_year:
            return span
        with self._lock:
            span = self._span
            if span is None:
                first = year - year % _INDEX_CHUNK_YEARS
                last = first + _INDEX_CHUNK_YEARS - 1
                span = _IndexSpan(first, last, self._working_days(first, last), 0)
            while year < span.first_year:
                first = span.first_year - _INDEX_CHUNK_YEARS
                before = self._working_days(first, span.first_year - 1)
                span = _IndexSpan(
                    first, span.last_year, before + span.ordinals, span.offset + len(before)
                )
            if year > span.last_year:
                last = year + _INDEX_CHUNK_YEARS - 1 - year % _INDEX_CHUNK_YEARS
                after = self._working_days(span.last_year + 1, last)
                span = _IndexSpan(span.first_year, last, span.ordinals + after, span.offset)
            self._span = span
            return span

    def rank(self, day: date) -> int:
        """Working days strictly before ``day``, counted from the origin."""
        span = self._covering(day.year)
        return bisect.bisect_left(span.ordinals, day.toordinal()) - span.offset

    def is_working(self, day: date) -> bool:
        span = self._covering(day.year)
        i = bisect.bisect_left(span.ordinals, day.toordinal())
        return i < len(span.ordinals) and span.ordinals[i] == day.toordinal()

    def day_of_rank(self, rank: int) -> date:
        """The working day with the given rank."""
        span = self._covering(date.today().year) if self._span is None else self._span
        while True:
            i = rank + span.offset
            if i < 0:
                span = self._covering(span.first_year - 1)
            elif i >= len(span.ordinals):
                # About 250 working days a year: jump straight to the year needed.
                span = self._covering(span.last_year + 1 + (i - len(span.ordinals)) // 250)
            else:
                return date.fromordinal(span.ordinals[i])


class WorkingCalendar:
    """Working sessions on working days, in one time zone.

    ``is_working_day`` is the national rule (e.g. ``holidays`` VN ``is_working_day``);
    ``days_off`` and ``working_days`` are the province's overrides and win over it.
    """

    def __init__(
        self,
        sessions: Iterable[Session],
        is_working_day: Callable[[date], bool],
        *,
        timezone: str = "Asia/Ho_Chi_Minh",
        days_off: Iterable[date] = (),
        working_days: Iterable[date] = (),
    ):
        self.sessions = tuple(sorted(sessions, key=lambda s: s.start))
        if not self.sessions:
            raise CalendarError("a calendar needs at least one working session")
        for before, after in zip(self.sessions, self.sessions[1:], strict=False):
            if before.end > after.start:
                raise CalendarError(f"sessions {before} and {after} overlap")
        self.tz = ZoneInfo(timezone)
        days_off, working_days = frozenset(days_off), frozenset(working_days)
        if days_off & working_days:
            raise CalendarError("a date cannot be both an extra day off and an extra working day")

        def rule(day: date) -> bool:
            if day in working_days:
                return True
            if day in days_off:
                return False
            return is_working_day(day)

        self._index = _WorkingDayIndex(rule)
        # Cumulative working time at each session's start and end, within one day.
        bounds, elapsed = [], 0
        for session in self.sessions:
            start, end = _micro_of_day(session.start), _micro_of_day(session.end)
            bounds.append((start, end, elapsed, elapsed + end - start))
            elapsed += end - start
        self._bounds = tuple(bounds)
        self.day_length = elapsed  # microseconds of work in one working day

    # -- positions ---------------------------------------------------------------------
    def _local(self, instant: datetime) -> datetime:
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise CalendarError(f"instant {instant.isoformat()} has no UTC offset")
        return instant.astimezone(self.tz)

    def _offset_in_day(self, micro_of_day: int) -> int:
        """Working time elapsed in a working day at a given local time of day."""
        for start, end, before, _after in self._bounds:
            if micro_of_day < start:
                return before
            if micro_of_day < end:
                return before + micro_of_day - start
        return self.day_length

    def position(self, instant: datetime) -> int:
        """Working time (µs) elapsed between the index origin and ``instant``."""
        local = self._local(instant)
        day = local.date()
        rank = self._index.rank(day)
        if not self._index.is_working(day):
            return rank * self.day_length
        return rank * self.day_length + self._offset_in_day(_micro_of_day(local.timetz()))

    def instant(self, position: int, *, at_end: bool) -> datetime:
        """The instant at a working-time position.

        A position on a boundary between two sessions (or two days) is ambiguous: with
        ``at_end`` it is the end of the earlier session (the moment the time has elapsed),
        otherwise the start of the later one (the next working instant).
        """
        rank, offset = divmod(position, self.day_length)
        if at_end and offset == 0:
            rank, offset = rank - 1, self.day_length
        day = self._index.day_of_rank(rank)
        for start, _end, before, after in self._bounds:
            if offset < after or (at_end and offset == after):
                micro = start + offset - before
                break
        midnight = datetime.combine(day, time(0), self.tz)
        return (midnight + timedelta(microseconds=micro)).astimezone(self.tz)

    # -- operations ----------------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        return self._index.is_working(day)

    def next_working_instant(self, instant: datetime) -> datetime:
        """``instant`` itself inside a session, else the start of the next session."""
        return self.instant(self.position(instant), at_end=False)

    def session_end(self, instant: datetime) -> datetime:
        """The end of the session ``instant`` falls in, or of the next session if it falls
        outside working time."""
        rank, offset = divmod(self.position(instant), self.day_length)
        after = next(after for _s, _e, _b, after in self._bounds if offset < after)
        return self.instant(rank * self.day_length + after, at_end=True)

    def add(self, instant: datetime, microseconds: int) -> datetime:
        """The earliest instant at which ``microseconds`` of working time have elapsed."""
        if microseconds < 0:
            raise CalendarError("cannot add a negative amount of working time")
        if microseconds == 0:
            return self.next_working_instant(instant)
        return self.instant(self.position(instant) + microseconds, at_end=True)

    def add_hours(self, instant: datetime, hours: Decimal | int | str) -> datetime:
        return self.add(instant, hours_to_microseconds(hours))

    def add_days(self, instant: datetime, days: Decimal | int | str) -> datetime:
        """Add working days; one working day is the length of the day's sessions."""
        return self.add(instant, _round(Decimal(days) * self.day_length))

    def between(self, start: datetime, end: datetime) -> int:
        """Working time (µs) in ``[start, end)``; negative when ``end`` precedes ``start``."""
        return self.position(end) - self.position(start)

    def hours_between(self, start: datetime, end: datetime) -> Decimal:
        return microseconds_to_hours(self.between(start, end))
