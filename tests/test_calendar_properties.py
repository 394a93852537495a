"""Property-based checks of the working-time arithmetic (SPEC §4)."""

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.calendar.services import calendar_for

CALENDAR = calendar_for("bac-ninh", overrides=(frozenset(), frozenset()))
HOUR = 3_600_000_000

instants = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2035, 12, 31),
    timezones=st.sampled_from(
        [UTC, timezone(timedelta(hours=7)), timezone(timedelta(hours=-5, minutes=-30))]
    ),
)
amounts = st.integers(min_value=0, max_value=2_000 * HOUR)


@settings(max_examples=400, deadline=None)
@given(start=instants, amount=amounts)
def test_between_undoes_add(start, amount):
    assert CALENDAR.between(start, CALENDAR.add(start, amount)) == amount


@settings(max_examples=300, deadline=None)
@given(start=instants, a=amounts, b=amounts)
def test_adding_is_monotonic(start, a, b):
    low, high = sorted((a, b))
    assert CALENDAR.add(start, low) <= CALENDAR.add(start, high)


@settings(max_examples=300, deadline=None)
@given(start=instants, amount=amounts)
def test_result_is_never_before_start_and_lies_in_working_time(start, amount):
    result = CALENDAR.add(start, amount)
    assert result >= start or (amount == 0 and result >= CALENDAR.next_working_instant(start))
    assert CALENDAR.is_working_day(result.date())
    local = result.timetz().replace(tzinfo=None)
    sessions = CALENDAR.sessions
    inside = any(s.start <= local < s.end for s in sessions)
    at_end = any(local == s.end for s in sessions)
    assert inside or (at_end and amount > 0)


@settings(max_examples=300, deadline=None)
@given(a=instants, b=instants, c=instants)
def test_between_is_additive(a, b, c):
    assert CALENDAR.between(a, c) == CALENDAR.between(a, b) + CALENDAR.between(b, c)
