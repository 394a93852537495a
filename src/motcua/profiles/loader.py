"""Loading and validating province profiles.

A profile is read strictly into frozen dataclasses: an unknown key, a missing key, a value
of the wrong type or outside its choices is a :class:`ProfileError` naming the file and the
dotted key, so a typo never silently falls back to a default. Every period carries its unit
and the article it comes from (SPEC §2).
"""

from __future__ import annotations

import dataclasses
import tomllib
import typing
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

PROFILE_DIR = Path(__file__).resolve().parent

UNITS = ("working_hours", "working_days", "calendar_days")


class ProfileError(ValueError):
    """A profile file that cannot be used, with the file and key at fault."""


def _choices(*values: str) -> dict:
    return {"choices": values}


@dataclass(frozen=True)
class Period:
    """An amount of time in a unit, with the article that fixes it."""

    amount: Decimal
    unit: str = dataclasses.field(metadata=_choices(*UNITS))
    article: str = ""
    note: str = ""

    def after(self, instant: datetime, calendar) -> datetime:
        """The instant this period ends when it starts at ``instant``."""
        if self.unit == "working_hours":
            return calendar.add_hours(instant, self.amount)
        if self.unit == "working_days":
            return calendar.add_days(instant, self.amount)
        return instant + timedelta(days=float(self.amount))

    def __str__(self):
        labels = {
            "working_hours": _("%(n)s working hours"),
            "working_days": _("%(n)s working days"),
            "calendar_days": _("%(n)s days"),
        }
        return str(labels[self.unit]) % {"n": f"{self.amount.normalize():f}"}


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
class ReceptionRules:
    online_limit: Period
    # The limit must fit in what is left of the session, else it counts from the next one.
    whole_limit_in_session: bool
    article: str


@dataclass(frozen=True)
class SupplementRules:
    max_requests: int
    apology_for_repeat: bool
    clock: str = dataclasses.field(metadata=_choices("pause", "restart"))
    timeout: Period = None
    timeout_action: str = dataclasses.field(default="cancel", metadata=_choices("cancel"))
    article: str = ""


@dataclass(frozen=True)
class ExtensionRules:
    max_count: int
    notice: Period
    confirmed_by_centre: bool
    counts_as_late: bool
    article: str


@dataclass(frozen=True)
class ResultRules:
    originals_deadline: Period
    fee_gate: str = dataclasses.field(metadata=_choices("receive", "result", "return"))
    e_result_after_payment: bool = True
    article: str = ""


@dataclass(frozen=True)
class ReportDate:
    period: str = dataclasses.field(metadata=_choices("month", "quarter", "half_year", "year"))
    closes_on_day: int = 0
    due_day: int = 0
    article: str = ""


@dataclass(frozen=True)
class Profile:
    key: str
    province: str
    citation: str
    regulation: str
    calendar: CalendarRules
    reception: ReceptionRules | None = None
    supplement: SupplementRules | None = None
    extension: ExtensionRules | None = None
    results: ResultRules | None = None


def _read(value, kind, file: Path, where: str, metadata=None):
    """Convert a TOML value to ``kind`` or raise a :class:`ProfileError` at ``where``."""
    fail = f"{file.name}: '{where}'"
    origin = typing.get_origin(kind)
    if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
        (kind,) = [k for k in typing.get_args(kind) if k is not type(None)]
    if dataclasses.is_dataclass(kind):
        return _read_table(value, kind, file, where)
    if kind is Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ProfileError(f"{fail} must be a number")
        return Decimal(str(value))
    if kind is time:
        try:
            return time.fromisoformat(value)
        except (TypeError, ValueError):
            raise ProfileError(f"{fail} has an invalid time {value!r}") from None
    if typing.get_origin(kind) is tuple:
        if not isinstance(value, list):
            raise ProfileError(f"{fail} must be a list")
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_read(v, args[0], file, f"{where}[{i}]") for i, v in enumerate(value))
        if len(value) != len(args):
            raise ProfileError(f"{fail} must have {len(args)} items")
        return tuple(
            _read(v, k, file, f"{where}[{i}]")
            for i, (v, k) in enumerate(zip(value, args, strict=True))
        )
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ProfileError(f"{fail} must be {kind.__name__}, not {type(value).__name__}")
    choices = (metadata or {}).get("choices")
    if choices and value not in choices:
        raise ProfileError(f"{fail} must be one of {', '.join(choices)}")
    return value


def _read_table(data, kind, file: Path, path: str):
    if not isinstance(data, dict):
        raise ProfileError(f"{file.name}: '{path}' must be a table")
    hints = typing.get_type_hints(kind)
    fields = {f.name: f for f in dataclasses.fields(kind)}
    prefix = f"{path}." if path else ""
    unknown = sorted(set(data) - set(fields))
    if unknown:
        listed = ", ".join(f"'{prefix}{k}'" for k in unknown)
        raise ProfileError(f"{file.name}: unknown key {listed}")
    values = {}
    for name, spec in fields.items():
        if name not in data:
            if spec.default is dataclasses.MISSING:
                raise ProfileError(f"{file.name}: missing key '{prefix}{name}'")
            continue
        values[name] = _read(data[name], hints[name], file, prefix + name, spec.metadata)
    return kind(**values)


def _check(profile: Profile, file: Path) -> None:
    for n, (start, end) in enumerate(profile.calendar.sessions):
        if start >= end:
            raise ProfileError(f"{file.name}: 'calendar.sessions[{n}]' ends before it starts")
    if profile.key != file.stem:
        raise ProfileError(f"{file.name}: 'key' is {profile.key!r}, not {file.stem!r}")


def parse_profile(file: Path) -> Profile:
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{file.name}: {error}") from None
    profile = _read_table(data, Profile, file, "")
    _check(profile, file)
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
