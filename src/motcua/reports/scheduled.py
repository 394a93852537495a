"""Statistics reports made on the profile's report dates, and the month-end snapshot
(SPEC §3 items 18, 24; HT 14, VP 24.1, HG 21; BN 24.1 and TN 21.3 → NĐ 09/2019/NĐ-CP Điều 12).

A profile's ``reports`` entry names a period (month, quarter, half-year, year), the day its
months close on and the day (and month) the report must be sent. The System makes the report
of a period, once, on the first day after the period closes, so that it is ready before the
day it is due: for BN the April report (15 March – 14 April) is made on 15 April and due on
the 20th; for VP the April report on 1 May, due on 20 May.

Some regulations set the due date before the period they name has closed: HT 14 (before the
5th of December for the year), HG 21 (before 30 June for the half-year, before 30 November
for the year). For those the report is made on the day before it is due, with the figures
as they stand that day; the file says at what moment. Where a due day without a month falls
on or before the period's last day (HT 14 and VP 24.1 for the quarter), the due date is that
day of the following month.
"""

import calendar
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from motcua.catalogue.models import Agency
from motcua.profiles import active_profile
from motcua.profiles.loader import ReportDate

from . import exports, statistics, tally
from .models import MonthEnd, StoredReport
from .periods import Period, add_months

#: Days back the daily run looks for reports it missed (a stopped scheduler).
CATCH_UP_DAYS = 7


@dataclass(frozen=True)
class DueReport:
    entry: ReportDate
    period: Period
    make_on: date
    due_on: date


def _day(year: int, month: int, day: int) -> date:
    """``day`` of the month, or its last day when the month is shorter."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _month_of(day: date, closes_on_day: int) -> date:
    """The reporting month ``day`` belongs to (see :func:`tally.reporting_month`)."""
    if closes_on_day and day.day > closes_on_day:
        return add_months(day.replace(day=1), 1)
    return day.replace(day=1)


def due_on(entry: ReportDate, period: Period) -> date:
    """The day the report of ``period`` must be sent."""
    if entry.due_month:
        return _day(period.last.year, entry.due_month, entry.due_day)
    end = period.end_day
    due = _day(end.year, end.month, entry.due_day)
    if due <= end:
        following = add_months(end.replace(day=1), 1)
        due = _day(following.year, following.month, entry.due_day)
    return due


def make_on(entry: ReportDate, period: Period) -> date:
    """The day the report of ``period`` is made: after the period closes, or on the eve of
    the due date when that comes first."""
    return min(period.end_day + timedelta(days=1), due_on(entry, period) - timedelta(days=1))


def due_reports(today: date, profile=None) -> list[DueReport]:
    """The period reports to make on ``today`` under ``profile`` (the active one)."""
    profile = profile or active_profile()
    found = []
    for entry in profile.reports:
        candidates = {
            Period.of(entry.period, _month_of(day, entry.closes_on_day), entry.closes_on_day)
            for day in (today - timedelta(days=1), today)
        }
        for period in sorted(candidates, key=lambda p: p.first):
            if make_on(entry, period) == today:
                found.append(DueReport(entry, period, today, due_on(entry, period)))
    return found


def top_level_agencies():
    """The agencies right below the root of the tree (departments, communes, the centre)
    that are still active: each gets its own report beside the province's."""
    return Agency.objects.filter(
        parent__isnull=False, parent__parent__isnull=True, status=Agency.Status.ACTIVE
    ).order_by("code")


def _store(due: DueReport, agency, now) -> StoredReport:
    kind = due.entry.period
    grouping = "agency" if agency is None else "field"
    report = statistics.report(due.period, agency=agency, grouping=grouping, now=now)
    with translation.override(settings.LANGUAGE_CODE):
        data = exports.to_xlsx(report, kind=kind, agency=agency)
    stored = StoredReport(
        kind=StoredReport.Kind.STATISTICS,
        period_kind=kind,
        first_month=due.period.first,
        last_month=due.period.last,
        agency=agency,
        file_format="xlsx",
        sha256=hashlib.sha256(data).hexdigest(),
        created_at=now,
    )
    stored.file.save(exports.file_name(kind, due.period, agency, "xlsx"), ContentFile(data), False)
    stored.save()
    return stored


def make_due_reports(today: date | None = None, profile=None) -> dict[str, int]:
    """Store the XLSX of the province and of each top-level agency for every report due to
    be made on ``today``; a report already stored for the same period and scope is kept,
    not made again."""
    today = today or timezone.localdate()
    outcome = {"made": 0, "kept": 0}
    for due in due_reports(today, profile):
        for agency in [None, *top_level_agencies()]:
            with transaction.atomic():
                # Concurrent runs queue here, so the check below sees the other's report.
                list(Agency.objects.select_for_update().filter(parent__isnull=True))
                exists = StoredReport.objects.filter(
                    kind=StoredReport.Kind.STATISTICS,
                    period_kind=due.entry.period,
                    first_month=due.period.first,
                    last_month=due.period.last,
                    agency=agency,
                    created_by=None,
                ).exists()
                if exists:
                    outcome["kept"] += 1
                    continue
                _store(due, agency, timezone.now())
                outcome["made"] += 1
    return outcome


def close_ended_month(today: date | None = None, profile=None) -> dict[str, int]:
    """On the first day after a reporting month closes, record its month-end snapshot
    (:func:`statistics.close_month`) as of the moment it closed; a month already recorded
    is left as it is."""
    today = today or timezone.localdate()
    closes = tally.closes_on_day(profile or active_profile())
    yesterday = today - timedelta(days=1)
    month = _month_of(yesterday, closes)
    if _month_of(today, closes) == month:
        return {"snapshots": 0}
    if MonthEnd.objects.filter(month=month).exists():
        return {"snapshots": 0}
    period = Period.of("month", month, closes)
    return {"snapshots": statistics.close_month(month, now=period.end)}


def run_scheduled(today: date | None = None) -> dict[str, int]:
    """The daily job: the snapshot of a month that has just closed, then the reports due
    today and any missed in the last :data:`CATCH_UP_DAYS` days."""
    today = today or timezone.localdate()
    outcome = dict(close_ended_month(today))
    outcome.update(made=0, kept=0)
    for back in range(CATCH_UP_DAYS, -1, -1):
        done = make_due_reports(today - timedelta(days=back))
        outcome["made"] += done["made"]
        outcome["kept"] += done["kept"]
    return outcome
