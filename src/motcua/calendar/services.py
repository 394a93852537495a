"""The province's working calendar: a profile's sessions, the national holidays and the
overrides stored in the database (SPEC §4)."""

from __future__ import annotations

import time
from functools import cache, lru_cache

import holidays
from django.conf import settings

from motcua.profiles import Profile, active_profile, load_profile

from .arithmetic import Session, WorkingCalendar
from .models import CalendarOverride


@cache
def _national_rule(country: str):
    """``is_working_day`` of the ``holidays`` package: public holidays, substitute days off
    and make-up working Saturdays as announced for the country."""
    return holidays.country_holidays(country).is_working_day


@lru_cache(maxsize=16)
def _build(profile: Profile, days_off: frozenset, working_days: frozenset) -> WorkingCalendar:
    rules = profile.calendar
    return WorkingCalendar(
        [Session(start, end) for start, end in rules.sessions],
        _national_rule(rules.country),
        timezone=rules.timezone,
        days_off=days_off,
        working_days=working_days,
    )


_overrides_cache: dict = {}


def forget_overrides(**kwargs) -> None:
    """Drop the cached overrides (connected to saves and deletes of overrides)."""
    _overrides_cache.clear()


def stored_overrides() -> tuple[frozenset, frozenset]:
    """(extra days off, extra working days) stored for the province.

    Read at most every ``MOTCUA_CALENDAR_CACHE_SECONDS`` (60 by default) by each process; a
    change made in this process is seen at once, one made elsewhere within that delay.
    """
    cached = _overrides_cache.get("value")
    if cached is not None and time.monotonic() < cached[0]:
        return cached[1]
    days_off, working_days = set(), set()
    for day, kind in CalendarOverride.objects.values_list("day", "kind"):
        (days_off if kind == CalendarOverride.Kind.DAY_OFF else working_days).add(day)
    value = (frozenset(days_off), frozenset(working_days))
    _overrides_cache["value"] = (time.monotonic() + settings.MOTCUA_CALENDAR_CACHE_SECONDS, value)
    return value


def calendar_for(
    profile: Profile | str | None = None,
    overrides: tuple[frozenset, frozenset] | None = None,
) -> WorkingCalendar:
    """The working calendar of a profile (default: the active one) with today's overrides.

    ``overrides`` replaces the stored ones (extra days off, extra working days). Calendars
    are cached per set of overrides, so an override takes effect at once and the
    working-day index is built only once per process for each state of the overrides.
    """
    if profile is None:
        profile = active_profile()
    elif isinstance(profile, str):
        profile = load_profile(profile)
    return _build(profile, *(stored_overrides() if overrides is None else overrides))
