"""Working-time arithmetic on the legal calendar (SPEC §4).

Dates: Tết 2026 is 16–20 Feb; 22 Aug 2026 is a make-up Saturday for the day off on
31 Aug 2026; 24 Nov 2026 is Vietnam Culture Day; 1 Jan 2027 is a Friday holiday.
"""

from datetime import date, datetime, time
from decimal import Decimal

import pytest

from motcua.calendar.arithmetic import CalendarError, Session, WorkingCalendar
from motcua.calendar.services import calendar_for


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        # The contract's example: one hour on Friday, Tết week, weekend, seven on Monday.
        ("2026-02-13T16:00:00+07:00", "8", "2026-02-23T16:00:00+07:00"),
        # Reaching a session's end gives the end, not the next session's start.
        ("2026-03-02T07:30:00+07:00", "4", "2026-03-02T11:30:00+07:00"),
        ("2026-03-02T07:30:00+07:00", "8", "2026-03-02T17:00:00+07:00"),
        ("2026-03-02T16:00:00+07:00", "1", "2026-03-02T17:00:00+07:00"),
        # The lunch break is not working time.
        ("2026-03-02T11:00:00+07:00", "1", "2026-03-02T13:30:00+07:00"),
        ("2026-03-02T12:15:00+07:00", "1", "2026-03-02T14:00:00+07:00"),
        # After hours and weekends count from the next session.
        ("2026-03-06T18:00:00+07:00", "1", "2026-03-09T08:30:00+07:00"),
        ("2026-03-07T10:00:00+07:00", "0.5", "2026-03-09T08:00:00+07:00"),
        ("2026-03-02T06:00:00+07:00", "1", "2026-03-02T08:30:00+07:00"),
        # Make-up Saturday 22 Aug 2026 is worked.
        ("2026-08-21T16:00:00+07:00", "2", "2026-08-22T08:30:00+07:00"),
        # Substitute day off 31 Aug, then National Day 1–2 Sep.
        ("2026-08-28T16:00:00+07:00", "2", "2026-09-03T08:30:00+07:00"),
        # Vietnam Culture Day (24 Nov 2026).
        ("2026-11-23T16:00:00+07:00", "2", "2026-11-25T08:30:00+07:00"),
        # Year end: 1 Jan 2027 is a Friday holiday.
        ("2026-12-31T16:00:00+07:00", "2", "2027-01-04T08:30:00+07:00"),
        # Tết 2027 (4–10 Feb).
        ("2027-02-03T16:00:00+07:00", "1", "2027-02-03T17:00:00+07:00"),
        ("2027-02-03T16:00:00+07:00", "2", "2027-02-11T08:30:00+07:00"),
        # Inputs in UTC or another offset; output always in +07:00.
        ("2026-03-02T02:00:00+00:00", "1", "2026-03-02T10:00:00+07:00"),
        ("2026-03-01T23:00:00-05:00", "1", "2026-03-02T13:30:00+07:00"),
        # Fractions of an hour, to the second.
        ("2026-03-02T07:30:00+07:00", "0.25", "2026-03-02T07:45:00+07:00"),
        ("2026-03-02T11:29:59+07:00", "0.5", "2026-03-02T13:29:59+07:00"),
    ],
)
def test_add_hours(calendar, start, hours, expected):
    assert calendar.add_hours(at(start), hours).isoformat() == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2026-03-02T09:10:00+07:00", "2026-03-02T09:10:00+07:00"),  # inside: itself
        ("2026-03-02T07:30:00+07:00", "2026-03-02T07:30:00+07:00"),  # session start
        ("2026-03-02T11:30:00+07:00", "2026-03-02T13:00:00+07:00"),  # end is excluded
        ("2026-03-02T17:00:00+07:00", "2026-03-03T07:30:00+07:00"),
        ("2026-02-13T17:00:00+07:00", "2026-02-23T07:30:00+07:00"),  # into Tết
        ("2026-03-07T09:00:00+07:00", "2026-03-09T07:30:00+07:00"),  # Saturday
    ],
)
def test_adding_zero_gives_the_next_working_instant(calendar, start, expected):
    assert calendar.add_hours(at(start), 0).isoformat() == expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2026-03-02T10:00:00+07:00", "1", "2026-03-03T10:00:00+07:00"),
        ("2026-03-02T07:30:00+07:00", "1", "2026-03-02T17:00:00+07:00"),
        ("2026-03-02T07:30:00+07:00", "0.5", "2026-03-02T11:30:00+07:00"),
        ("2026-03-06T14:00:00+07:00", "5", "2026-03-13T14:00:00+07:00"),
        ("2026-02-12T09:00:00+07:00", "3", "2026-02-24T09:00:00+07:00"),
    ],
)
def test_add_days(calendar, start, days, expected):
    assert calendar.add_days(at(start), days).isoformat() == expected


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ("2026-03-02T07:30:00+07:00", "2026-03-02T17:00:00+07:00", "8"),
        ("2026-03-02T11:00:00+07:00", "2026-03-02T13:30:00+07:00", "1"),
        ("2026-03-02T12:00:00+07:00", "2026-03-02T12:45:00+07:00", "0"),
        ("2026-02-13T07:30:00+07:00", "2026-02-23T07:30:00+07:00", "8"),
        ("2026-03-06T17:00:00+07:00", "2026-03-09T07:30:00+07:00", "0"),
        ("2026-03-02T00:30:00+00:00", "2026-03-02T08:00:00+07:00", "0.5"),
        ("2026-03-02T17:00:00+07:00", "2026-03-02T07:30:00+07:00", "-8"),
    ],
)
def test_between(calendar, start, end, hours):
    assert calendar.hours_between(at(start), at(end)) == Decimal(hours)


def test_year_of_working_days(calendar):
    """2026 has 365 days minus weekends, holidays and substitute days, plus 22 Aug."""
    start, end = at("2026-01-01T00:00:00+07:00"), at("2027-01-01T00:00:00+07:00")
    days = calendar.hours_between(start, end) / 8
    expected = sum(
        calendar.is_working_day(date.fromordinal(d))
        for d in range(date(2026, 1, 1).toordinal(), date(2027, 1, 1).toordinal())
    )
    assert days == expected
    assert 240 <= expected <= 252


def test_overrides_win_over_the_national_calendar():
    calendar = calendar_for(
        "bac-ninh", overrides=(frozenset({date(2026, 3, 2)}), frozenset({date(2026, 3, 7)}))
    )
    assert not calendar.is_working_day(date(2026, 3, 2))
    assert calendar.is_working_day(date(2026, 3, 7))
    assert calendar.add_hours(at("2026-02-27T16:00:00+07:00"), 2).isoformat() == (
        "2026-03-03T08:30:00+07:00"
    )
    assert calendar.add_hours(at("2026-03-06T16:00:00+07:00"), 2).isoformat() == (
        "2026-03-07T08:30:00+07:00"
    )


def test_long_spans_and_far_dates(calendar):
    start = at("2026-03-02T10:00:00+07:00")
    far = calendar.add_days(start, 10_000)
    assert calendar.hours_between(start, far) == 80_000
    past = at("1995-03-01T08:00:00+07:00")
    assert calendar.hours_between(past, start) > 0
    assert calendar.add_days(past, 3).isoformat() == "1995-03-06T08:00:00+07:00"


def test_other_sessions():
    """A profile may fix other hours; one working day is the length of its sessions."""
    calendar = WorkingCalendar(
        [Session(time(8), time(12)), Session(time(13, 30), time(17, 30))],
        lambda day: day.weekday() < 5,
    )
    assert calendar.add_days(at("2026-03-02T08:00:00+07:00"), 1).isoformat() == (
        "2026-03-02T17:30:00+07:00"
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.add_hours(datetime(2026, 3, 2, 8), 1), "no UTC offset"),
        (lambda c: c.add_hours(at("2026-03-02T08:00:00+07:00"), -1), "negative"),
    ],
)
def test_rejects_bad_input(calendar, call, message):
    with pytest.raises(CalendarError, match=message):
        call(calendar)


def test_rejects_overlapping_sessions():
    with pytest.raises(CalendarError, match="overlap"):
        WorkingCalendar([Session(time(7), time(12)), Session(time(11), time(17))], lambda day: True)


@pytest.mark.parametrize(
    ("instant", "end"),
    [
        ("2026-03-02T09:00:00+07:00", "2026-03-02T11:30:00+07:00"),
        ("2026-03-02T11:30:00+07:00", "2026-03-02T17:00:00+07:00"),
        ("2026-03-02T12:00:00+07:00", "2026-03-02T17:00:00+07:00"),
        ("2026-03-02T16:59:00+07:00", "2026-03-02T17:00:00+07:00"),
        ("2026-03-02T17:00:00+07:00", "2026-03-03T11:30:00+07:00"),
        ("2026-02-13T18:00:00+07:00", "2026-02-23T11:30:00+07:00"),
    ],
)
def test_session_end(calendar, instant, end):
    assert calendar.session_end(at(instant)).isoformat() == end
