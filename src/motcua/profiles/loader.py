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
#: The official form sets the sheets can be printed in (``motcua.documents.form_sets``).
FORM_SETS = ("tt01-2018", "tt03-2025")


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
    """How soon an online submission must be received (VP 13.1, HG 6.1)."""

    online_limit: Period
    # The limit must fit in what is left of the session, else it counts from the next one.
    whole_limit_in_session: bool
    # Paper dossiers received before this time go to the processing unit the same working
    # day, later ones the next morning (NĐ 61/2018 as amended by NĐ 107/2021).
    paper_handover_cutoff: time
    paper_handover_article: str


@dataclass(frozen=True)
class SupplementRules:
    """Supplement requests: how many, what a repeat needs, the clock, the timeout."""

    max_requests: int
    apology_for_repeat: bool
    clock: str = dataclasses.field(metadata=_choices("pause", "restart"))
    article: str = ""
    timeout: Period | None = None  # None: the regulation sets none, requests never lapse
    timeout_action: str = dataclasses.field(default="cancel", metadata=_choices("cancel"))


@dataclass(frozen=True)
class ExtensionRules:
    """Extension with an apology and a new date (VP 14.4)."""

    max_count: int
    notice: Period
    confirmation: str = dataclasses.field(metadata=_choices("none", "centre_for_province_agencies"))
    counts_as_late: bool = False
    article: str = ""


@dataclass(frozen=True)
class FeeGate:
    """The action a dossier with an unpaid fee cannot take, per online level (TN 20.2)."""

    full: str = dataclasses.field(metadata=_choices("receive", "complete", "return_result"))
    partial: str = dataclasses.field(metadata=_choices("receive", "complete", "return_result"))
    offline: str = dataclasses.field(metadata=_choices("receive", "complete", "return_result"))
    article: str = ""


@dataclass(frozen=True)
class ResultRules:
    fee_gate: FeeGate
    e_result_after_payment: bool
    article: str
    originals_deadline: Period | None = None  # partial level: originals to bring (VP 16.1)


@dataclass(frozen=True)
class FeedbackRules:
    answer_within: Period


@dataclass(frozen=True)
class ReportDate:
    """A periodic report: its period and the day (and month) it is due."""

    period: str = dataclasses.field(metadata=_choices("month", "quarter", "half_year", "year"))
    due_day: int = 0
    article: str = ""
    due_month: int = 0  # for half-yearly and yearly reports with a fixed month
    closes_on_day: int = 0  # 0: the period ends with the calendar month


@dataclass(frozen=True)
class LookupRules:
    channels: tuple[str, ...] = dataclasses.field(
        metadata=_choices("code", "qr", "sms", "desk", "national_portal", "zalo", "app")
    )
    article: str = ""


@dataclass(frozen=True)
class SignInRules:
    methods: tuple[str, ...] = dataclasses.field(
        metadata=_choices("national_sso", "vneid", "business_account", "local_account", "phone_otp")
    )
    article: str = ""


@dataclass(frozen=True)
class NoticeRules:
    notice: Period


@dataclass(frozen=True)
class MonitoringRules:
    due_soon: Period


@dataclass(frozen=True)
class DocumentRules:
    """The form set of the official sheets: Circular 01/2018/TT-VPCP (NĐ 61/2018/NĐ-CP) or
    Circular 03/2025/TT-VPCP (NĐ 118/2025/NĐ-CP, in force from 1 July 2025)."""

    form_set: str = dataclasses.field(metadata=_choices(*FORM_SETS))
    article: str = ""


@dataclass(frozen=True)
class Profile:
    key: str
    province: str
    citation: str
    regulation: str
    calendar: CalendarRules
    reception: ReceptionRules
    supplement: SupplementRules
    extension: ExtensionRules
    results: ResultRules
    feedback: FeedbackRules
    reports: tuple[ReportDate, ...]
    lookup: LookupRules
    sign_in: SignInRules
    maintenance: NoticeRules
    monitoring: MonitoringRules
    documents: DocumentRules

    def fee_gate(self, online_level: str) -> str:
        return getattr(self.results.fee_gate, online_level)


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
            return tuple(
                _read(v, args[0], file, f"{where}[{i}]", metadata) for i, v in enumerate(value)
            )
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
    for n, report in enumerate(profile.reports):
        if not 1 <= report.due_day <= 31 or not 0 <= report.due_month <= 12:
            raise ProfileError(f"{file.name}: 'reports[{n}]' has an impossible due date")
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
