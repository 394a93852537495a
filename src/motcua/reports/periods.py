"""Reporting periods: months that close on the profile's day, and the quarters, half-years
and years made of them (BN 24.1, VP 24.1, HT 14, HG 21; NĐ 09/2019/NĐ-CP art. 12)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.profiles import active_profile

from . import tally

MONTHS_IN = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
PERIOD_NAMES = {
    "month": _("month"),
    "quarter": _("quarter"),
    "half_year": _("half-year"),
    "year": _("year"),
}


#: Months outside these years are typing mistakes (and would overflow the calendar).
FIRST_YEAR, LAST_YEAR = 1990, 2999


def parse_month(text: str) -> date:
    """``2026-03`` → 1 March 2026; ValueError for anything else, or a year outside
    :data:`FIRST_YEAR` … :data:`LAST_YEAR`."""
    year, month = (int(part) for part in text.split("-"))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(text)
    return date(year, month, 1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Reporting months ``first`` … ``last`` (first days of months), both included."""

    first: date
    last: date
    closes_on_day: int = 0

    @classmethod
    def of(cls, kind: str, month: date, closes_on_day: int | None = None) -> "Period":
        """The ``kind`` period (month, quarter, half_year, year) holding reporting ``month``."""
        if closes_on_day is None:
            closes_on_day = tally.closes_on_day(active_profile())
        size = MONTHS_IN[kind]
        first = date(month.year, (month.month - 1) // size * size + 1, 1)
        return cls(first, add_months(first, size - 1), closes_on_day)

    @classmethod
    def current(cls, kind: str = "month") -> "Period":
        closes = tally.closes_on_day(active_profile())
        return cls.of(kind, tally.reporting_month(timezone.now(), closes), closes)

    def _edge(self, month: date) -> date:
        """The last calendar day of reporting ``month``."""
        if self.closes_on_day:
            return month.replace(day=self.closes_on_day)
        return add_months(month, 1) - timedelta(days=1)

    @property
    def start_day(self) -> date:
        return self._edge(add_months(self.first, -1)) + timedelta(days=1)

    @property
    def end_day(self) -> date:
        return self._edge(self.last)

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start_day, time.min))

    @property
    def end(self) -> datetime:
        """The first instant after the period."""
        return timezone.make_aware(datetime.combine(self.end_day + timedelta(days=1), time.min))

    @property
    def months(self) -> list[date]:
        count = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month
        return [add_months(self.first, n) for n in range(count + 1)]

    def is_open(self, now: datetime | None = None) -> bool:
        """Whether the period has not ended yet."""
        return (now or timezone.now()) < self.end

    def __str__(self):
        return f"{self.start_day:%d/%m/%Y} – {self.end_day:%d/%m/%Y}"
