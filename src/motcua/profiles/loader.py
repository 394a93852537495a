"""Loading and validating province profiles.

A profile is read strictly: an unknown key, a missing key or a value of the wrong type is a
:class:`ProfileError` naming the file and the dotted key, so a typo never silently falls back
to a default.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings

PROFILE_DIR = Path(__file__).resolve().parent


class ProfileError(ValueError):
    """A profile file that cannot be used, with the file and key at fault."""


@dataclass(frozen=True)
class CalendarRules:
    timezone: str
    country: str
    sessions: tuple[tuple[time, time], ...]
    source: str

    @property
    def hours_per_day(self) -> Decimal:
        """Working hours in one working day (8 with the default sessions)."""
        minutes = sum(
            (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
            for start, end in self.sessions
        )
        return Decimal(minutes) / 60


@dataclass(frozen=True)
class Profile:
    key: str
    province: str
    citation: str
    regulation: str
    calendar: CalendarRules


class _Table:
    """A TOML table with a declared set of keys, read key by key."""

    def __init__(self, data: dict, file: Path, path: str, keys: tuple[str, ...]):
        if not isinstance(data, dict):
            raise ProfileError(f"{file.name}: [{path}] must be a table")
        self.data, self.file, self.path = dict(data), file, path
        unknown = sorted(set(self.data) - set(keys))
        if unknown:
            listed = ", ".join(f"'{self._where(k)}'" for k in unknown)
            raise ProfileError(f"{file.name}: unknown key {listed}")

    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def take(self, key: str, kind: type):
        if key not in self.data:
            raise ProfileError(f"{self.file.name}: missing key '{self._where(key)}'")
        value = self.data.pop(key)
        if not isinstance(value, kind):
            raise ProfileError(
                f"{self.file.name}: '{self._where(key)}' must be {kind.__name__}, "
                f"not {type(value).__name__}"
            )
        return value

    def table(self, key: str, keys: tuple[str, ...]) -> _Table:
        return _Table(self.take(key, dict), self.file, self._where(key), keys)


def _clock(value: str, file: Path, where: str) -> time:
    try:
        return time.fromisoformat(value)
    except (TypeError, ValueError):
        raise ProfileError(f"{file.name}: '{where}' has an invalid time {value!r}") from None


def _calendar(table: _Table) -> CalendarRules:
    sessions = []
    for n, pair in enumerate(table.take("sessions", list)):
        where = f"{table.path}.sessions[{n}]"
        if not (isinstance(pair, list) and len(pair) == 2):
            raise ProfileError(f"{table.file.name}: '{where}' must be [start, end]")
        start, end = (_clock(v, table.file, where) for v in pair)
        if start >= end:
            raise ProfileError(f"{table.file.name}: '{where}' ends before it starts")
        sessions.append((start, end))
    return CalendarRules(
        timezone=table.take("timezone", str),
        country=table.take("country", str),
        sessions=tuple(sessions),
        source=table.take("source", str),
    )


def parse_profile(file: Path) -> Profile:
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{file.name}: {error}") from None
    root = _Table(data, file, "", ("profile", "calendar"))
    meta = root.table("profile", ("key", "province", "citation", "regulation"))
    profile = Profile(
        key=meta.take("key", str),
        province=meta.take("province", str),
        citation=meta.take("citation", str),
        regulation=meta.take("regulation", str),
        calendar=_calendar(root.table("calendar", ("timezone", "country", "sessions", "source"))),
    )
    if profile.key != file.stem:
        raise ProfileError(f"{file.name}: 'profile.key' is {profile.key!r}, not {file.stem!r}")
    return profile


def profile_names() -> list[str]:
    return sorted(p.stem for p in PROFILE_DIR.glob("*.toml"))


@cache
def load_profile(name: str) -> Profile:
    file = PROFILE_DIR / f"{name}.toml"
    if not file.is_file():
        raise ProfileError(f"unknown profile {name!r}; choose one of: {', '.join(profile_names())}")
    return parse_profile(file)


def active_profile() -> Profile:
    """The profile this installation runs (``MOTCUA_PROFILE``)."""
    return load_profile(settings.MOTCUA_PROFILE)
