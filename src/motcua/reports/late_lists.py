"""Monthly lists of late dossiers and late steps, per agency, unit and officer, which the
provincial centre publishes on the Portal every month (BN 24.3: "định kỳ hàng tháng công
khai danh sách cơ quan, tổ chức, cá nhân chậm muộn"; HG 4.4 and TN 19.3: the progress of
each unit is public).

A dossier is late in a reporting month when it was settled late in it (result made ready,
or declined, after its first appointment, or extended where an extension counts as late:
VP 14.4.đ) or when it was still being processed and overdue when the month ended. A step
is late when it was done after its due time in the month, or still in progress and overdue
at the month's end; its lateness is the unit's and the officer's (SPEC §2 "Deadline").
How late is working time on the province calendar. Each late dossier shows whether the
head of the agency signed an apology (phiếu xin lỗi và hẹn lại ngày trả kết quả: VP 14.4.a,
VP 22.7; TT 01/2018/TT-VPCP).

Every query is a range on an indexed instant: when late dossiers were settled and late
steps done (partial indexes on the late rows), or the due time of open work, so the cost
follows the month, not the history. A published list is a snapshot (JSON) kept as a
:class:`~motcua.reports.models.StoredReport`; the Portal renders the snapshot, which holds
no applicant data at all, only dossier codes, procedures, agencies and officers.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role, User
from motcua.audit import services as audit
from motcua.calendar.services import calendar_for
from motcua.dossiers.models import Apology, Dossier, DossierStep, Status, Timeliness

from . import readers
from .models import StoredReport
from .periods import Period

#: Who publishes them on the Portal: the provincial centre's monitor (BN 24.3).
PUBLISHER_ROLES = frozenset({Role.PROVINCE_MONITOR})
SNAPSHOT_VERSION = 1
SETTLED, OPEN = "settled", "open"


class LateListError(Exception):
    """A request about a late list that cannot be met; nothing was changed."""

    def __init__(self, message, *, code: str):
        super().__init__(message)
        self.message, self.code = message, code


class NotAllowed(LateListError):
    def __init__(self):
        super().__init__(_("You may not see or publish the late lists."), code="forbidden")


def scope_of(user: User) -> set[int] | None:
    """The agencies whose late dossiers and steps ``user`` reads: None for the whole
    province, else the leader's agency and everything below it (:mod:`.readers`)."""
    if not readers.may_read(user):
        raise NotAllowed
    return readers.readable_ids(user)


@dataclass
class LateDossier:
    dossier: Dossier
    state: str  # SETTLED or OPEN
    due_at: datetime
    settled_at: datetime | None
    late_us: int
    apology_at: datetime | None = None


@dataclass
class LateStep:
    step: DossierStep
    officer: User | None
    state: str
    late_us: int


@dataclass
class Group:
    """One agency, unit or officer of the list with its late items, the latest first."""

    key: int | None
    name: str
    context: str = ""
    items: list = field(default_factory=list)

    @property
    def settled(self) -> int:
        return sum(1 for item in self.items if item.state == SETTLED)

    @property
    def open(self) -> int:
        return sum(1 for item in self.items if item.state == OPEN)


@dataclass
class LateList:
    period: Period
    taken_at: datetime
    day_length_us: int
    dossiers: list[LateDossier]
    steps: list[LateStep]

    def _groups(self, items, key, name, context="") -> list[Group]:
        groups: dict = {}
        for item in items:
            k = key(item)
            if k not in groups:
                groups[k] = Group(k, name(item), context(item) if context else "")
            groups[k].items.append(item)
        for group in groups.values():
            group.items.sort(key=lambda i: -i.late_us)
        return sorted(groups.values(), key=lambda g: (-len(g.items), g.name))

    @property
    def agencies(self) -> list[Group]:
        return self._groups(
            self.dossiers, lambda d: d.dossier.agency_id, lambda d: d.dossier.agency.name
        )

    @property
    def units(self) -> list[Group]:
        return self._groups(
            self.steps,
            lambda s: s.step.agency_id,
            lambda s: s.step.agency.name,
            lambda s: s.step.agency.parent.name if s.step.agency.parent_id else "",
        )

    @property
    def officers(self) -> list[Group]:
        return self._groups(
            self.steps,
            lambda s: s.officer.pk if s.officer else None,
            lambda s: _officer_name(s.officer),
            lambda s: s.step.agency.name,
        )


def _officer_name(officer: User | None) -> str:
    return (officer.full_name or officer.username) if officer else ""


def _in(name: str, period: Period) -> Q:
    return Q(**{f"{name}__gte": period.start, f"{name}__lt": period.end})


def _late_dossiers(scope: Q):
    """Dossiers settled late, with ``settled_at``: when the result was made ready, or, for
    a declined dossier, when it was declined. Served by the partial index on that instant
    where timeliness is late."""
    return Dossier.objects.filter(scope, timeliness=Timeliness.LATE).annotate(
        settled_at=Coalesce("result_ready_at", "finished_at")
    )


def _dossiers(period: Period, scope: Q, cutoff: datetime, closed: bool, calendar):
    related = ("procedure", "agency")
    settled = _late_dossiers(scope).filter(_in("settled_at", period))
    rows = [
        LateDossier(
            d,
            SETTLED,
            d.original_due_at,
            d.settled_at,
            max(0, calendar.between(d.original_due_at, d.settled_at)),
        )
        for d in settled.select_related(*related).order_by()
    ]
    # Open and overdue: still being processed (the clock of a dossier waiting for a
    # supplement is paused), or, for an ended month, paused since it ended.
    running = Q(status=Status.PROCESSING)
    if closed:
        running |= Q(paused_at__gte=period.end)
    still_open = Dossier.objects.filter(
        scope,
        running,
        status__in=(Status.PROCESSING, Status.AWAITING_SUPPLEMENT),
        due_at__lt=cutoff,
    )
    open_rows = list(still_open.select_related(*related).order_by())
    if closed:
        # Open when the month ended, settled since then.
        open_rows += (
            _late_dossiers(scope)
            .filter(settled_at__gte=period.end, due_at__lt=period.end, received_at__lt=period.end)
            .select_related(*related)
            .order_by()
        )
    rows += [
        LateDossier(d, OPEN, d.due_at, None, max(0, calendar.between(d.due_at, cutoff)))
        for d in open_rows
    ]
    apologies = dict(
        Apology.objects.filter(dossier_id__in=[r.dossier.pk for r in rows])
        .values_list("dossier_id")
        .annotate(first=Min("signed_at"))
        .order_by()
    )
    for row in rows:
        row.apology_at = apologies.get(row.dossier.pk)
    return rows


def _steps(period: Period, scope: Q, cutoff: datetime, closed: bool, calendar):
    related = ("dossier__procedure", "process_step", "agency__parent", "done_by", "assignee")
    late = DossierStep.objects.filter(scope, timeliness=Timeliness.LATE)
    done = late.filter(_in("done_at", period)).select_related(*related).order_by()
    rows = [
        LateStep(s, s.done_by, SETTLED, max(0, calendar.between(s.due_at, s.done_at))) for s in done
    ]
    running = Q(dossier__status=Status.PROCESSING)
    if closed:
        running |= Q(dossier__paused_at__gte=period.end)
    still_open = list(
        DossierStep.objects.filter(
            scope, running, state=DossierStep.State.ACTIVE, due_at__lt=cutoff
        )
        .select_related(*related)
        .order_by()
    )
    if closed:
        still_open += (
            late.filter(done_at__gte=period.end, due_at__lt=period.end, started_at__lt=period.end)
            .select_related(*related)
            .order_by()
        )
    rows += [
        LateStep(s, s.assignee, OPEN, max(0, calendar.between(s.due_at, cutoff)))
        for s in still_open
    ]
    return rows


def late_list(period: Period, *, agencies: set[int] | None = None, now=None) -> LateList:
    """The late dossiers of ``period`` at ``agencies`` (None: the whole province) and the
    late steps of their units, as they stand at ``now`` (default: now)."""
    now = now or timezone.now()
    closed = not period.is_open(now)
    cutoff = period.end if closed else now
    calendar = calendar_for()
    scope = Q() if agencies is None else Q(agency_id__in=sorted(agencies))
    dossiers = _dossiers(period, scope, cutoff, closed, calendar)
    steps = _steps(period, scope, cutoff, closed, calendar)
    return LateList(period, now, calendar.day_length, dossiers, steps)


# -- snapshot: what is published and what every page renders ---------------------------
_HOUR_US = 3_600_000_000


_MINUTE_US = 60_000_000


def _hours(us: int) -> str:
    hours = (Decimal(us) / _HOUR_US).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{hours.normalize():f}"


def _lateness(us: int, day_length: int) -> dict:
    """Working hours late, and the same as working days, hours and minutes."""
    days, rest = divmod(us, day_length)
    hours, rest = divmod(rest, _HOUR_US)
    return {
        "late_working_hours": _hours(us),
        "late_days": days,
        "late_hours": hours,
        "late_minutes": rest // _MINUTE_US,
    }


def _instant(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _dossier_entry(row: LateDossier, day_length: int) -> dict:
    d = row.dossier
    return {
        "code": d.code,
        "procedure_code": d.procedure.national_code,
        "procedure": d.procedure.name,
        "state": row.state,
        "due_at": _instant(row.due_at),
        "settled_at": _instant(row.settled_at),
        "extended": d.extension_count > 0,
        "apology_at": _instant(row.apology_at),
        **_lateness(row.late_us, day_length),
    }


def _step_entry(row: LateStep, day_length: int) -> dict:
    s = row.step
    return {
        "code": s.dossier.code,
        "procedure_code": s.dossier.procedure.national_code,
        "procedure": s.dossier.procedure.name,
        "step": s.process_step.name,
        "unit": s.agency.name,
        "officer": _officer_name(row.officer),
        "state": row.state,
        "due_at": _instant(s.due_at),
        "done_at": _instant(s.done_at) if row.state == SETTLED else None,
        **_lateness(row.late_us, day_length),
    }


def _group_entry(group: Group, entry) -> dict:
    return {
        "name": group.name,
        "context": group.context,
        "settled": group.settled,
        "open": group.open,
        "items": [entry(item) for item in group.items],
    }


def snapshot(result: LateList) -> dict:
    """The list as plain data: agencies with their late dossiers, units and officers with
    their late steps. Only dossier codes, procedures and public servants are named."""
    day = result.day_length_us

    def dossier(row):
        return _dossier_entry(row, day)

    def step(row):
        return _step_entry(row, day)

    return {
        "version": SNAPSHOT_VERSION,
        "month": result.period.first.strftime("%Y-%m"),
        "start_day": result.period.start_day.isoformat(),
        "end_day": result.period.end_day.isoformat(),
        "taken_at": _instant(result.taken_at),
        "working_day_hours": _hours(day),
        "totals": {
            "dossiers": len(result.dossiers),
            "settled": sum(1 for d in result.dossiers if d.state == SETTLED),
            "open": sum(1 for d in result.dossiers if d.state == OPEN),
            "without_apology": sum(1 for d in result.dossiers if d.apology_at is None),
            "steps": len(result.steps),
        },
        "agencies": [_group_entry(g, dossier) for g in result.agencies],
        "units": [_group_entry(g, step) for g in result.units],
        "officers": [_group_entry(g, step) for g in result.officers],
        "replaces": None,
    }


def for_display(data: dict) -> dict:
    """A snapshot with its instants and days as datetimes and dates, for the templates."""

    def convert(value, key=""):
        if isinstance(value, dict):
            return {k: convert(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        if key.endswith("_at") and isinstance(value, str):
            return datetime.fromisoformat(value)
        if key.endswith("_day") and isinstance(value, str):
            return date.fromisoformat(value)
        return value

    return convert(data)


#: The CSV's columns: one row per late dossier of an agency and per late step of a unit
#: or an officer.
CSV_COLUMNS = (
    _("List"),
    _("Agency, unit or officer"),
    _("Dossier code"),
    _("Procedure code"),
    _("Procedure"),
    _("Step"),
    _("Situation"),
    _("Due"),
    _("Settled or done at"),
    _("Late by (working hours)"),
    _("Apology letter signed at"),
)
_LISTS = {"agencies": _("Agency"), "units": _("Unit"), "officers": _("Officer")}
_STATES = {
    ("agencies", SETTLED): _("Settled late"),
    ("units", SETTLED): _("Done late"),
    ("officers", SETTLED): _("Done late"),
}


def to_csv(data: dict) -> bytes:
    """The snapshot as CSV (UTF-8 with BOM, for spreadsheets), one row per late item."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(column) for column in CSV_COLUMNS])
    for kind, label in _LISTS.items():
        for group in data[kind]:
            for i in group["items"]:
                state = _STATES.get((kind, i["state"]), _("Overdue, in progress"))
                writer.writerow(
                    [label, group["name"] or _("Not yet taken by an officer"), i["code"],
                     i["procedure_code"], i["procedure"], i.get("step", ""), state,
                     i["due_at"], i.get("settled_at") or i.get("done_at") or "",
                     i["late_working_hours"], i.get("apology_at") or ""]
                )  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode()


# -- publication on the Portal (BN 24.3) ------------------------------------------------
def _published():
    return StoredReport.objects.filter(
        kind=StoredReport.Kind.LATE_LIST, published_at__isnull=False
    ).order_by("-first_month", "-published_at", "-id")


def current_version(month: date) -> StoredReport | None:
    """The public list of reporting ``month``: the latest version published."""
    return _published().filter(first_month=month).first()


def published_months() -> list[StoredReport]:
    """The public version of each month that has one, latest month first."""
    seen, versions = set(), []
    for report in _published().only("first_month", "last_month", "published_at", "kind"):
        if report.first_month not in seen:
            seen.add(report.first_month)
            versions.append(report)
    return versions


def read(report: StoredReport) -> dict:
    """The snapshot a stored list holds, checked against its checksum."""
    with report.file.open("rb") as stream:
        content = stream.read()
    if hashlib.sha256(content).hexdigest() != report.sha256:
        raise LateListError(_("The stored list does not match its checksum."), code="tampered")
    return json.loads(content)


def publish(month: date, user: User, *, now=None, request=None) -> StoredReport:
    """Publish the list of reporting ``month`` for the whole province on the Portal.

    Only once the month has ended. Publishing a month again makes a new version, which the
    Portal shows from then on; earlier versions stay stored as issued, superseded, and the
    new one names the one it replaces. Audited.
    """
    if not user.is_staff_member or user.role not in PUBLISHER_ROLES:
        raise NotAllowed
    now = now or timezone.now()
    period = Period.of("month", month)
    if period.is_open(now):
        raise LateListError(
            _("A month's list is published once the month has ended."), code="month_open"
        )
    data = snapshot(late_list(period, now=now))
    with transaction.atomic():
        previous = current_version(period.first)
        if previous is not None:
            data["replaces"] = {
                "published_at": _instant(previous.published_at),
                "sha256": previous.sha256,
            }
        content = json.dumps(data, ensure_ascii=False, indent=1).encode()
        digest = hashlib.sha256(content).hexdigest()
        report = StoredReport(
            kind=StoredReport.Kind.LATE_LIST,
            period_kind="month",
            first_month=period.first,
            last_month=period.last,
            file_format="json",
            sha256=digest,
            created_at=now,
            created_by=user,
            published_at=now,
        )
        report.file.save(
            f"danh-sach-cham-muon-{period.first:%Y-%m}-{digest[:12]}.json",
            ContentFile(content),
            save=False,
        )
        report.save()
        audit.record(
            user,
            "reports.late_list.publish",
            report,
            {
                "month": period.first.strftime("%Y-%m"),
                "sha256": digest,
                "replaces": previous.pk if previous else None,
                "dossiers": data["totals"]["dossiers"],
                "steps": data["totals"]["steps"],
            },
            request=request,
        )
    return report
