"""The statistics of settling procedures per agency (with its sub-tree), field, procedure
and period, in the columns of the statistics form (Biểu 06, TT 01/2018/TT-VPCP), read from
the tallies (SPEC §3 item 18).

Dossiers carried over into a period are those in progress today less what the tallies say
happened since the period began, so nothing is summed over the whole history: the cost is
the number of tally rows from the period's start until now.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from motcua.catalogue.models import Agency, Field, Procedure
from motcua.dossiers.models import Dossier, Status
from motcua.operations.replica import reporting_db
from motcua.population.services import subtree_ids

from .models import COUNTERS, MonthEnd, Tally
from .periods import Period
from .tally import IN_PROGRESS_STATES

GROUPINGS = {
    "field": "procedure__field_id",
    "procedure": "procedure_id",
    "agency": "agency_id",
}
_NAME_OF = {
    "field": "procedure__field__name",
    "procedure": "procedure__name",
    "agency": "agency__name",
}


@dataclass
class Row:
    """One line of the statistics form; ``key`` is the field, procedure or agency id."""

    key: int | None
    label: str
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))
    carried_over: int = 0
    in_progress: int = 0
    overdue: int = 0

    def __getattr__(self, name):
        counts = self.__dict__.get("counts", {})
        if name in counts:
            return counts[name]
        raise AttributeError(name)

    # -- Biểu 06 columns ---------------------------------------------------------------
    @property
    def received_new(self) -> int:
        c = self.counts
        return (
            c["received_online"] + c["received_desk"] + c["received_postal"]
            + c["received_national"]
        )  # fmt: skip

    @property
    def received_total(self) -> int:
        return self.carried_over + self.received_new + self.counts["moved_in"]

    @property
    def settled(self) -> int:
        c = self.counts
        return c["settled_early"] + c["settled_on_time"] + c["settled_late"]

    @property
    def settled_in_time(self) -> int:
        return self.counts["settled_early"] + self.counts["settled_on_time"]

    @property
    def left_unsettled(self) -> int:
        c = self.counts
        return c["withdrawn"] + c["cancelled"] + c["moved_out"]

    @property
    def on_track(self) -> int:
        return self.in_progress - self.overdue

    # -- rates (Decision 766/QĐ-TTg uses the same ratios) ------------------------------
    @property
    def received_online_total(self) -> int:
        return self.counts["received_online"] + self.counts["received_national"]

    def add(self, other: "Row") -> None:
        for name in COUNTERS:
            self.counts[name] += other.counts[name]
        self.carried_over += other.carried_over
        self.in_progress += other.in_progress
        self.overdue += other.overdue


def ratio(part: int, whole: int) -> float | None:
    """``part / whole`` as a percentage, or None when there is nothing to measure."""
    return round(100 * part / whole, 2) if whole else None


@dataclass
class Report:
    period: Period
    grouping: str
    rows: list[Row]
    total: Row
    taken_at: datetime


def _scope(agency):
    return Q() if agency is None else Q(agency_id__in=subtree_ids(agency))


def _sum(queryset, key: str) -> dict:
    sums = {name: Sum(name) for name in COUNTERS}
    return {
        row.pop("key"): {name: row[name] or 0 for name in COUNTERS}
        for row in queryset.values(key=F(key)).annotate(**sums).order_by()
    }


def _net(counts: dict) -> int:
    """How much a tally changes the number of dossiers in progress."""
    received = sum(counts[f"received_{c}"] for c in ("online", "desk", "postal", "national"))
    settled = counts["settled_early"] + counts["settled_on_time"] + counts["settled_late"]
    return (
        received + counts["moved_in"] - settled
        - counts["withdrawn"] - counts["cancelled"] - counts["moved_out"]
    )  # fmt: skip


def in_progress_now(scope: Q, key: str, now: datetime, db: str = "default") -> dict:
    """``{key: (in progress, overdue)}`` from the open dossiers, whose number does not
    grow with history; a dossier waiting for a supplement has its clock paused."""
    overdue = Q(status=Status.PROCESSING, due_at__lt=now)
    rows = (
        Dossier.objects.using(db)
        .filter(scope, status__in=IN_PROGRESS_STATES, received_at__isnull=False)
        .values(key=F(key))
        .annotate(n=Count("pk"), overdue=Count("pk", filter=overdue))
        .order_by()
    )
    return {row["key"]: (row["n"], row["overdue"]) for row in rows}


def _overdue_at_end(scope: Q, key: str, period: Period, now: datetime, db: str) -> dict:
    if period.is_open(now):
        return {k: late for k, (_n, late) in in_progress_now(scope, key, now, db).items()}
    snapshot = MonthEnd.objects.using(db).filter(scope, month=period.last)
    return {
        row["key"]: row["n"]
        for row in snapshot.values(key=F(key)).annotate(n=Sum("overdue")).order_by()
    }


def report(period: Period, *, agency=None, grouping: str = "field", now=None) -> Report:
    """The statistics of ``period`` for ``agency`` and its sub-tree (None: the province),
    one row per field, procedure or agency. Read from the reporting replica where there is
    one (:func:`motcua.operations.replica.reporting_db`)."""
    now = now or timezone.now()
    db = reporting_db()
    key = GROUPINGS[grouping]
    scope = _scope(agency)
    tallies = Tally.objects.using(db).filter(scope)
    within = _sum(tallies.filter(month__gte=period.first, month__lte=period.last), key)
    since = _sum(tallies.filter(month__gte=period.first), key)
    after = _sum(tallies.filter(month__gt=period.last), key)
    open_now = in_progress_now(scope, key, now, db)
    overdue = _overdue_at_end(scope, key, period, now, db)
    keys = set(within) | set(since) | set(open_now)
    rows = {k: Row(k, "") for k in keys}
    for k, row in rows.items():
        current = open_now.get(k, (0, 0))[0]
        row.counts.update(within.get(k, {}))
        empty = dict.fromkeys(COUNTERS, 0)
        row.carried_over = current - _net(since.get(k, empty))
        row.in_progress = current - _net(after.get(k, empty))
        row.overdue = min(overdue.get(k, 0), row.in_progress)
    rows = {k: r for k, r in rows.items() if r.received_total or r.in_progress}
    names = _labels(grouping, rows, db)
    for k, row in rows.items():
        row.label = names.get(k, "")
    ordered = sorted(rows.values(), key=lambda r: r.label)
    total = Row(None, "")
    for row in ordered:
        total.add(row)
    return Report(period, grouping, ordered, total, now)


def _labels(grouping: str, rows: dict, db: str) -> dict:
    model = {"field": Field, "procedure": Procedure, "agency": Agency}[grouping]
    return {pk: str(obj) for pk, obj in model.objects.using(db).in_bulk(list(rows)).items()}


def close_month(month, *, now=None) -> int:
    """Record, as reporting ``month`` closes, the dossiers in progress and overdue per
    agency and procedure (the month-end snapshot the report of a past period reads)."""
    now = now or timezone.now()
    counts = defaultdict(lambda: [0, 0])
    rows = (
        Dossier.objects.filter(status__in=IN_PROGRESS_STATES, received_at__isnull=False)
        .values("agency_id", "procedure_id")
        .annotate(
            n=Count("pk"), overdue=Count("pk", filter=Q(status=Status.PROCESSING, due_at__lt=now))
        )
        .order_by()
    )
    for row in rows:
        counts[(row["agency_id"], row["procedure_id"])] = [row["n"], row["overdue"]]
    snapshots = [
        MonthEnd(
            agency_id=agency, procedure_id=procedure, month=month, in_progress=n, overdue=late,
            taken_at=now,
        )
        for (agency, procedure), (n, late) in counts.items()
    ]  # fmt: skip
    MonthEnd.objects.filter(month=month).delete()
    MonthEnd.objects.bulk_create(snapshots)
    return len(snapshots)
