"""Realistic dossiers with their whole history, written straight into the database, for the
report benchmarks (SPEC §6).

A province catalogue (the People's Committee, its one-stop centre, departments, districts
and their communes; fields; procedures with online levels, processing times, fees and a
published process), then dossiers over a span of months: a channel mix, submissions and
receptions on the profile's working calendar, supplements (and, where the profile has one,
their timeout), refusals, withdrawals, declines, settlement early, on time or late, fees
(paid online or at the desk), results returned (some electronic) and rated, the delivered
status push of each reception. Every history row carries what the tallies read, and the
tallies are then summed from the history by one ``INSERT … SELECT … GROUP BY`` that counts
as :func:`motcua.reports.tally.deltas` does (agency merges are not generated). PostgreSQL
is written with COPY (foreign-key triggers skipped where the role may: the rows refer to
each other by construction), other databases with ``executemany``.

New dossiers go into the ``months`` before the oldest dossier already there (before now on
an empty database), so running it again grows the history without touching recent months.
Events after now are not written: recent dossiers are left in progress where they are.

    python bench/gen_data.py N [--months 12] [--agencies 150] [--database-url URL]
"""

import benchsetup  # noqa: I001 — must come first: see its docstring

import argparse
import json
import os
import random
import sys
import time
import uuid
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from itertools import accumulate


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dossiers", type=int, help="how many dossiers to add")
    parser.add_argument("--months", type=int, default=12, help="the span they are spread over")
    parser.add_argument("--agencies", type=int, default=150, help="agencies in the province")
    parser.add_argument("--database-url", help="default: DATABASE_URL")
    return parser


if __name__ == "__main__":
    _known = _parser().parse_known_args()[0]
    if _known.database_url:
        os.environ["DATABASE_URL"] = _known.database_url
    if not os.environ.get("DATABASE_URL"):
        sys.exit("gen_data: give --database-url or set DATABASE_URL")

from django.apps import apps  # noqa: E402

if not apps.ready:  # imported by a benchmark or a test that has set Django up
    benchsetup.setup_django()

from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max, Min  # noqa: E402
from django.utils import timezone  # noqa: E402

from motcua.accounts.models import Role, User  # noqa: E402
from motcua.calendar.services import calendar_for  # noqa: E402
from motcua.catalogue.models import (  # noqa: E402
    Agency,
    Fee,
    Field,
    OneStopDesk,
    Procedure,
    ProcessStep,
    ProcessVersion,
)
from motcua.catalogue.text import fold  # noqa: E402
from motcua.dossiers.models import (  # noqa: E402
    Dossier,
    DossierEvent,
    DossierStep,
    SupplementRequest,
)
from motcua.feedback.criteria import CRITERIA  # noqa: E402
from motcua.feedback.models import Rating, RatingScore  # noqa: E402
from motcua.outbox.models import OutboxMessage  # noqa: E402
from motcua.profiles import active_profile  # noqa: E402
from motcua.reports import tally  # noqa: E402
from motcua.reports.models import COUNTERS, Tally  # noqa: E402

PROVINCE_CODE = "000.00.00.H06"
DEPARTMENTS = [
    "Sở Tư pháp", "Sở Xây dựng", "Sở Tài chính", "Sở Công Thương", "Sở Nông nghiệp và Môi trường",
    "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Nội vụ", "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Dân tộc và Tôn giáo", "Sở Ngoại vụ", "Thanh tra tỉnh",
    "Sở Giao thông vận tải", "Sở Kế hoạch và Đầu tư", "Sở Lao động - Thương binh và Xã hội",
    "Sở Tài nguyên và Môi trường", "Sở Thông tin và Truyền thông", "Ban Quản lý các KCN",
    "Công an tỉnh",
]  # fmt: skip
DISTRICTS = [
    "Thành phố Bắc Ninh", "Thành phố Từ Sơn", "Thị xã Quế Võ", "Thị xã Thuận Thành",
    "Huyện Yên Phong", "Huyện Tiên Du", "Huyện Gia Bình", "Huyện Lương Tài",
]  # fmt: skip
#: Fields with who settles them: departments, districts or communes.
FIELDS = [
    ("HT", "Hộ tịch", "commune"), ("CT", "Chứng thực", "commune"),
    ("BTXH", "Bảo trợ xã hội", "commune"), ("DD", "Đất đai", "district"),
    ("XD", "Xây dựng", "district"), ("HKD", "Hộ kinh doanh", "district"),
    ("GDDT", "Giáo dục và Đào tạo", "district"), ("LDTBXH", "Lao động, người có công", "district"),
    ("DN", "Thành lập và hoạt động doanh nghiệp", "department"),
    ("DT", "Đầu tư", "department"), ("GTVT", "Đường bộ", "department"),
    ("YT", "Khám bệnh, chữa bệnh", "department"), ("DUOC", "Dược phẩm", "department"),
    ("MT", "Môi trường", "department"), ("TNN", "Tài nguyên nước", "department"),
    ("LLTP", "Lý lịch tư pháp", "department"), ("CN", "Công nghiệp", "department"),
    ("TM", "Thương mại", "department"), ("VH", "Văn hóa", "department"),
    ("DL", "Du lịch", "department"), ("NN", "Trồng trọt và bảo vệ thực vật", "department"),
    ("CC", "Công chức, viên chức", "department"), ("KHCN", "Khoa học và công nghệ", "department"),
]  # fmt: skip
ACTIONS = ["Cấp", "Cấp lại", "Cấp đổi", "Gia hạn", "Điều chỉnh", "Đăng ký", "Xác nhận", "Thu hồi"]
#: Share of dossiers settled by each level of agency.
LEVEL_SHARE = {"department": 0.40, "district": 0.25, "commune": 0.35}
CHANNELS = {
    "full": (("online", 0.72), ("national_portal", 0.10), ("desk", 0.16), ("postal", 0.02)),
    "partial": (("online", 0.45), ("national_portal", 0.05), ("desk", 0.46), ("postal", 0.04)),
    "offline": (("desk", 0.92), ("postal", 0.08)),
}
#: Share of received dossiers with at least one file, by channel (scans at the desk).
DIGITISED = {"online": 0.97, "national_portal": 0.95, "desk": 0.62, "postal": 0.35}
TIMELINESS = {  # aimed at; the times written decide, as the services classify them
    "department": (0.55, 0.41, 0.04),
    "district": (0.48, 0.46, 0.06),
    "commune": (0.78, 0.20, 0.02),
}
PROCEDURE_STEPS = {  # role, share of the processing time
    "long": (
        (Role.SPECIALIST, Decimal("0.6")),
        (Role.UNIT_LEADER, Decimal("0.15")),
        (Role.AGENCY_LEADER, Decimal("0.15")),
        (Role.CLERK, Decimal("0.1")),
    ),
    "short": ((Role.SPECIALIST, Decimal("0.7")), (Role.AGENCY_LEADER, Decimal("0.3"))),
}
STAFF_ROLES = (
    Role.RECEPTION_OFFICER,
    Role.SPECIALIST,
    Role.UNIT_LEADER,
    Role.AGENCY_LEADER,
    Role.CLERK,
)
HOUR = 3_600_000_000  # µs
CHUNK = 20_000


# -- the catalogue -----------------------------------------------------------------------
def ensure_catalogue(agencies: int = 150, seed: int = 766) -> None:
    """The province's catalogue, made once: later runs reuse what is there."""
    if Agency.objects.filter(code=PROVINCE_CODE).exists():
        return
    rng = random.Random(seed)
    with transaction.atomic():
        _make_catalogue(agencies, rng)


def _names(base: list[str], count: int, prefix: str) -> list[str]:
    return [base[n] if n < len(base) else f"{prefix} số {n + 1}" for n in range(count)]


def _make_catalogue(total: int, rng: random.Random) -> None:
    departments = max(1, round(total * 0.13))
    districts = max(1, round(total * 0.06))
    communes = max(districts, total - 2 - departments - districts)
    province = Agency.objects.create(
        code=PROVINCE_CODE, name="Ủy ban nhân dân tỉnh Bắc Ninh", level="province"
    )
    centre = Agency.objects.create(
        code="000.00.90.H06",
        name="Trung tâm Phục vụ hành chính công tỉnh",
        level="center",
        parent=province,
    )
    levels = {
        "department": Agency.objects.bulk_create(
            Agency(code=f"000.00.{n + 1:02d}.H06", name=name, level="department", parent=province)
            for n, name in enumerate(_names(DEPARTMENTS, departments, "Sở"))
        ),
        "district": Agency.objects.bulk_create(
            Agency(code=f"000.{n + 1:02d}.30.H06", name=name, level="district", parent=province)
            for n, name in enumerate(_names(DISTRICTS, districts, "Huyện"))
        ),
    }
    levels["commune"] = Agency.objects.bulk_create(
        Agency(
            code=f"{n + 1:03d}.{d + 1:02d}.30.H06",
            name=f"UBND xã {n + 1} – {district.name}",
            level="commune",
            parent=district,
        )
        for d, district in enumerate(levels["district"])
        for n in range(communes // districts + (d < communes % districts))
    )
    desk = OneStopDesk.objects.create(name="Bộ phận Một cửa tỉnh", agency=centre)
    desk.served_agencies.add(*levels["department"])
    all_agencies = [a for group in levels.values() for a in group]
    User.objects.bulk_create(
        User(
            username=f"{role}.{agency.code}",
            password="!",
            kind=User.Kind.STAFF,
            role=role,
            agency=agency,
            full_name=f"Cán bộ {n}",
        )
        for agency in all_agencies
        for n, role in enumerate(STAFF_ROLES)
    )
    User.objects.bulk_create(
        User(
            username=f"cd{n:06d}",
            password="!",
            kind=User.Kind.ORGANISATION if n % 12 == 0 else User.Kind.CITIZEN,
            full_name=f"Công dân {n}",
        )
        for n in range(max(200, total * 40))
    )
    fields = {code: Field.objects.create(code=code, name=name) for code, name, _scope in FIELDS}
    procedures = []
    competent = []
    for scope, agencies, per_agency in (
        ("department", levels["department"], 25),
        ("district", levels["district"], 0),
        ("commune", levels["commune"], 0),
    ):
        scoped = [code for code, _n, s in FIELDS if s == scope]
        count = {"department": per_agency * len(agencies), "district": 40, "commune": 45}[scope]
        for n in range(count):
            code = scoped[n % len(scoped)]
            national = f"{1 + (scope != 'department')}.{len(procedures) + 1:06d}"
            name = f"{ACTIONS[n % len(ACTIONS)]} {fields[code].name.lower()} ({n + 1})"
            online = rng.choices(("full", "partial", "offline"), (0.45, 0.37, 0.18))[0]
            procedure = Procedure(
                national_code=national,
                name=name,
                search_text=fold(f"{name} {national}"),
                field=fields[code],
                level="commune" if scope == "commune" else "province",
                online_level=online,
                processing_days=Decimal(
                    rng.choice(
                        ["0.5", "1", "3", "5", "5", "7", "10", "15", "20"]
                        if scope != "commune"
                        else ["0.5", "1", "1", "3", "5"]
                    )
                ),
                applicant_kinds=["citizen", "organisation"],
                result_type="Giấy phép",
                result_kind=rng.choice(["paper", "electronic", "both"]),
                legal_basis="Luật",
            )
            procedures.append(procedure)
            owners = [agencies[n % len(agencies)]] if scope == "department" else agencies
            competent.extend((procedure, owner) for owner in owners)
    Procedure.objects.bulk_create(procedures)
    Procedure.agencies.through.objects.bulk_create(
        Procedure.agencies.through(procedure_id=p.pk, agency_id=a.pk) for p, a in competent
    )
    Fee.objects.bulk_create(
        Fee(procedure=p, name="Lệ phí", amount=rng.choice([20_000, 50_000, 100_000, 500_000]))
        for p in procedures
        if rng.random() < 0.4
    )
    versions = ProcessVersion.objects.bulk_create(
        ProcessVersion(procedure=p, number=1, status="published", published_at=timezone.now())
        for p in procedures
    )
    steps = []
    for version, procedure in zip(versions, procedures, strict=True):
        hours = procedure.processing_days * 8
        shape = "short" if procedure.level == "commune" or hours <= 8 else "long"
        steps.append(
            ProcessStep(
                version=version,
                order=1,
                name="Tiếp nhận",
                role=Role.RECEPTION_OFFICER,
                allotted_hours=Decimal("0.5"),
            )
        )
        for order, (role, share) in enumerate(PROCEDURE_STEPS[shape], start=2):
            steps.append(
                ProcessStep(
                    version=version,
                    order=order,
                    name=f"Bước {order}",
                    role=role,
                    allotted_hours=max(Decimal("0.25"), (hours * share).quantize(Decimal("0.01"))),
                )
            )
    ProcessStep.objects.bulk_create(steps)


# -- what generation reads of the catalogue ------------------------------------------------
@dataclass
class Proc:
    id: int
    version_id: int
    online_level: str
    processing_us: int
    fee: int
    electronic: bool
    steps: list  # (process step id, order, role, allotted µs)


@dataclass
class Unit:
    id: int
    code: str
    level: str
    officers: dict
    procedures: list
    weights: list


@dataclass
class World:
    units: list
    unit_weights: list
    applicants: list
    profile: object
    calendar: object
    closes_on_day: int


def load_world() -> World:
    """The catalogue as dossier generation needs it, popularity included (a few
    procedures and agencies receive most dossiers)."""
    profile = active_profile()
    calendar = calendar_for(profile, overrides=(frozenset(), frozenset()))
    fees = {}
    for procedure_id, amount in Fee.objects.values_list("procedure_id", "amount"):
        fees[procedure_id] = fees.get(procedure_id, 0) + amount
    steps = {}
    for step in ProcessStep.objects.filter(version__status="published").order_by("order"):
        steps.setdefault(step.version_id, []).append(
            (step.pk, step.order, step.role, int(step.allotted_hours * HOUR))
        )
    procs = {}
    for version in ProcessVersion.objects.filter(status="published").select_related("procedure"):
        p = version.procedure
        procs[p.pk] = Proc(
            p.pk,
            version.pk,
            p.online_level,
            int(p.processing_days * 8 * HOUR),
            fees.get(p.pk, 0),
            p.result_kind != "paper",
            steps[version.pk],
        )
    officers = {}
    for agency_id, role, user_id in User.objects.filter(kind=User.Kind.STAFF).values_list(
        "agency_id", "role", "pk"
    ):
        officers.setdefault(agency_id, {})[role] = user_id
    competent = {}
    for agency_id, procedure_id in Procedure.agencies.through.objects.order_by(
        "procedure_id"
    ).values_list("agency_id", "procedure_id"):
        if procedure_id in procs:
            competent.setdefault(agency_id, []).append(procs[procedure_id])
    agencies = Agency.objects.filter(pk__in=competent, level__in=LEVEL_SHARE).order_by("code")
    units = [
        Unit(
            a.pk,
            a.code,
            a.level,
            officers[a.pk],
            competent[a.pk],
            list(accumulate(1 / (rank + 1) ** 1.1 for rank in range(len(competent[a.pk])))),
        )
        for a in agencies
    ]
    per_level = {level: sum(u.level == level for u in units) for level in LEVEL_SHARE}
    size = [1 + (n * 7919 % 5) for n in range(len(units))]  # some communes are bigger
    weights = [
        LEVEL_SHARE[u.level] / per_level[u.level] * s for u, s in zip(units, size, strict=True)
    ]
    applicants = list(
        User.objects.exclude(kind=User.Kind.STAFF).order_by("pk").values_list("pk", flat=True)
    )
    return World(
        units,
        list(accumulate(weights)),
        applicants,
        profile,
        calendar,
        tally.closes_on_day(profile),
    )


# -- one dossier's life ---------------------------------------------------------------------
@dataclass
class Ids:
    """The next primary key of each table written."""

    dossier: int = 1
    step: int = 1
    event: int = 1
    request: int = 1
    rating: int = 1
    score: int = 1
    message: int = 1

    @classmethod
    def after_existing(cls) -> "Ids":
        def next_of(model):
            return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

        return cls(
            *(
                next_of(m)
                for m in (
                    Dossier,
                    DossierStep,
                    DossierEvent,
                    SupplementRequest,
                    Rating,
                    RatingScore,
                    OutboxMessage,
                )
            )
        )


@dataclass
class Rows:
    dossiers: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    events: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    ratings: list = field(default_factory=list)
    scores: list = field(default_factory=list)
    messages: list = field(default_factory=list)


DOSSIER_COLUMNS = (
    "id", "public_id", "code", "procedure_id", "process_version_id", "agency_id",
    "original_agency_id", "applicant_id", "submitter_id", "authorisation", "channel",
    "form_data", "status", "created_at", "submitted_at", "reception_due_at", "received_at",
    "received_late", "handover_due_at", "clock_started_at", "clock_remaining_us", "due_at",
    "original_due_at", "paused_at", "supplement_count", "extension_count", "fee_paid_at",
    "current_step_id", "result_ready_at", "finished_at", "timeliness",
)  # fmt: skip
STEP_COLUMNS = (
    "id", "dossier_id", "process_step_id", "order", "role", "agency_id", "state",
    "assignee_id", "started_at", "due_at", "done_at", "done_by_id", "timeliness",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "dossier_id", "action", "from_status", "to_status", "actor_id", "at", "reason", "data",
)  # fmt: skip
REQUEST_COLUMNS = (
    "id", "dossier_id", "stage", "items", "guidance", "requested_by_id", "requested_at",
    "expires_at", "answered_at",
)  # fmt: skip
RATING_COLUMNS = (
    "id", "dossier_id", "agency_id", "procedure_id", "satisfaction", "comment", "rated_at",
)  # fmt: skip
SCORE_COLUMNS = ("id", "rating_id", "criterion", "points")
MESSAGE_COLUMNS = (
    "id", "topic", "key", "payload", "status", "attempts", "available_at", "created_at",
    "sent_at", "last_error",
)  # fmt: skip
TABLES = (
    ("dossiers", Dossier, DOSSIER_COLUMNS),
    ("steps", DossierStep, STEP_COLUMNS),
    ("events", DossierEvent, EVENT_COLUMNS),
    ("requests", SupplementRequest, REQUEST_COLUMNS),
    ("ratings", Rating, RATING_COLUMNS),
    ("scores", RatingScore, SCORE_COLUMNS),
    ("messages", OutboxMessage, MESSAGE_COLUMNS),
)
FINISHED = ("returned", "refused", "declined", "withdrawn", "cancelled")
SUPPLEMENT_ITEMS = ["Bản sao giấy chứng nhận quyền sử dụng đất", "Tờ khai bổ sung chữ ký"]


class Life:
    """Draws one dossier's history on the working calendar and writes its rows, cut at
    ``now``: what would happen later is not written."""

    def __init__(self, world: World, rng: random.Random, ids: Ids, rows: Rows, now: datetime):
        self.w, self.rng, self.ids, self.rows, self.now = world, rng, ids, rows, now
        self.cal = world.calendar
        self.day = self.cal.day_length
        self.tz = self.cal.tz
        timeout = world.profile.supplement.timeout
        self.timeout = timeout
        self.criteria = [c.code for c in CRITERIA if not c.optional]

    # instants and working-time positions
    def pos(self, at: datetime) -> int:
        return self.cal.position(at)

    def at(self, position: int) -> datetime:
        return self.cal.instant(int(position), at_end=True)

    def after(self, at: datetime, working_hours: float) -> datetime:
        return self.at(self.pos(at) + working_hours * HOUR)

    def classify(self, done: datetime, due: datetime) -> str:
        """As ``deadlines.classify_finished`` (no extension is generated)."""
        if done > due:
            return "late"
        if done.astimezone(self.tz).date() < due.astimezone(self.tz).date():
            return "early"
        return "on_time"

    def settle_time(self, unit: Unit, received: datetime, due: datetime) -> datetime:
        rng = self.rng
        wanted = rng.choices(("early", "on_time", "late"), TIMELINESS[unit.level])[0]
        r, d = self.pos(received), self.pos(due)
        if wanted == "early":
            early = self.at(r + rng.uniform(0.15, 0.95) * (d - r))
            if early.astimezone(self.tz).date() < due.astimezone(self.tz).date():
                return early
        if wanted != "late":
            day_start = (d - 1) // self.day * self.day
            return self.at(rng.uniform(max(r, day_start), d))
        return self.at(d + rng.uniform(0.05, 8) * self.day)

    def live(self, unit: Unit, proc: Proc, channel: str, submitted: datetime, day_number: int):
        rng, ids = self.rng, self.ids
        dossier_id = ids.dossier
        ids.dossier += 1
        events = []
        officer = unit.officers
        applicant = self.w.applicants[int(rng.random() * len(self.w.applicants))]
        desk = channel in ("desk", "postal")
        submitter = officer[Role.RECEPTION_OFFICER] if channel == "desk" else applicant

        def event(action, frm, to, actor, at, data=None, reason=""):
            events.append([action, frm, to, actor, at, reason, data or {}])

        # Reception (the profile's limit for online dossiers, the same day at the desk).
        reception_due = self.w.profile.reception.online_limit.after(submitted, self.cal)
        event(
            "submit", "draft", "submitted", submitter, submitted,
            {"reception_due_at": reception_due.isoformat()},
        )  # fmt: skip
        paid = None
        if proc.fee and not desk and proc.online_level == "full":
            paid = submitted + timedelta(minutes=rng.uniform(2, 30))
            event(
                "pay",
                "submitted",
                "submitted",
                None,
                paid,
                {"amount": proc.fee, "reference": f"VNPAY{dossier_id}"},
            )
        if channel == "desk":
            received = submitted + timedelta(minutes=rng.uniform(3, 20))
        else:
            received = self.after(
                max(submitted, paid or submitted), rng.uniform(0.3, 7 if desk else 6)
            )
        requests = []
        if not desk and rng.random() < 0.03:  # supplement asked at reception
            asked = received
            event(
                "request_supplement", "submitted", "awaiting_supplement",
                officer[Role.RECEPTION_OFFICER], asked,
                {"items": SUPPLEMENT_ITEMS[:1], "stage": "reception", "repeat": False},
                "Bổ sung giấy tờ còn thiếu",
            )  # fmt: skip
            expires = self.timeout.after(asked, self.cal) if self.timeout else None
            if expires and rng.random() < 0.25:
                requests.append(("reception", asked, expires, None))
                event(
                    "timeout",
                    "awaiting_supplement",
                    "cancelled",
                    None,
                    expires,
                    {"article": self.timeout.article},
                )
                return self.write(
                    dossier_id,
                    unit,
                    proc,
                    channel,
                    applicant,
                    submitter,
                    events,
                    requests,
                    [],
                    day_number,
                )
            answered = asked + timedelta(hours=rng.uniform(2, 96))
            requests.append(("reception", asked, expires, answered))
            event("resubmit", "awaiting_supplement", "submitted", applicant, answered)
            received = self.after(answered, rng.uniform(0.3, 6))
        if rng.random() < 0.008:
            event(
                "refuse",
                "submitted",
                "refused",
                officer[Role.RECEPTION_OFFICER],
                received,
                reason="Không thuộc thẩm quyền",
            )
            return self.write(
                dossier_id,
                unit,
                proc,
                channel,
                applicant,
                submitter,
                events,
                requests,
                [],
                day_number,
            )
        due = self.at(self.pos(received) + proc.processing_us)
        event(
            "receive", "submitted", "processing", officer[Role.RECEPTION_OFFICER], received,
            {
                "due_at": due.isoformat(),
                "received_late": received > reception_due,
                "digitised": rng.random() < DIGITISED[channel],
            },
        )  # fmt: skip

        # Processing through the steps, perhaps paused for a supplement.
        settled = self.settle_time(unit, received, due)
        r, c = self.pos(received), self.pos(settled)
        shares = [s[3] for s in proc.steps[1:]]
        total = sum(shares)
        bounds = [r + (c - r) * x / total for x in accumulate(shares)]
        end, paused = None, None
        fate = rng.random()
        if fate < 0.05:  # supplement while processing: the clock pauses (VP 13.3)
            asked_pos = r + (c - r) * rng.uniform(0.05, 0.6)
            asked = self.at(asked_pos)
            event(
                "request_supplement", "processing", "awaiting_supplement",
                officer[Role.SPECIALIST], asked,
                {"items": SUPPLEMENT_ITEMS, "stage": "processing", "repeat": False},
                "Bổ sung hồ sơ theo quy định",
            )  # fmt: skip
            expires = self.timeout.after(asked, self.cal) if self.timeout else None
            if expires and rng.random() < 0.2:
                requests.append(("processing", asked, expires, None))
                event(
                    "timeout",
                    "awaiting_supplement",
                    "cancelled",
                    None,
                    expires,
                    {"article": self.timeout.article},
                )
                end = asked_pos
            else:
                pause = rng.uniform(0.5, 8) * self.day
                answered = self.at(asked_pos + pause)
                requests.append(("processing", asked, expires, answered))
                due = self.at(self.pos(due) + pause)
                event(
                    "resubmit",
                    "awaiting_supplement",
                    "processing",
                    applicant,
                    answered,
                    {"due_at": due.isoformat()},
                )
                bounds = [b + pause if b > asked_pos else b for b in bounds]
                settled = self.at(c + pause)
                paused = (asked_pos, pause)
        elif fate < 0.06:  # withdrawn by the applicant
            end = r + (c - r) * rng.uniform(0.05, 0.8)
            event(
                "withdraw",
                "processing",
                "withdrawn",
                applicant,
                self.at(end),
                reason="Người nộp rút hồ sơ",
            )
        steps = self.steps(unit, proc, received, bounds, end, paused, events)
        if end is None:
            timeliness = self.classify(settled, self.at(r + proc.processing_us))
            last = officer[proc.steps[-1][2]]
            if fate > 0.985:  # declined, with reasons
                event(
                    "decline",
                    "processing",
                    "declined",
                    last,
                    settled,
                    {"timeliness": timeliness},
                    "Không đủ điều kiện",
                )
            else:
                event(
                    "complete",
                    "processing",
                    "result_ready",
                    last,
                    settled,
                    {"timeliness": timeliness},
                )
                returned = self.after(settled, rng.uniform(0.1, 20))
                if proc.fee and paid is None:
                    online = rng.random() < 0.35
                    paid = returned - timedelta(minutes=rng.uniform(5, 600 if online else 10))
                    paid = max(paid, settled + timedelta(seconds=30))
                    payer = None if online else officer[Role.RECEPTION_OFFICER]
                    event(
                        "pay",
                        "result_ready",
                        "result_ready",
                        payer,
                        paid,
                        {"amount": proc.fee, "reference": f"BL{dossier_id}"},
                    )
                    returned = max(returned, paid + timedelta(seconds=30))
                e_result = proc.electronic and not desk and rng.random() < 0.8
                method = "online" if e_result else rng.choices(("desk", "post"), (0.85, 0.15))[0]
                event(
                    "return_result",
                    "result_ready",
                    "returned",
                    officer[Role.RECEPTION_OFFICER],
                    returned,
                    {"method": method, "e_result": e_result},
                )
        events.sort(key=lambda e: e[4])
        self.write(
            dossier_id,
            unit,
            proc,
            channel,
            applicant,
            submitter,
            events,
            requests,
            steps,
            day_number,
        )

    def steps(self, unit, proc, received, bounds, end, paused, events) -> list:
        """The control sheet's rows ``[step, started, due, done, done by]`` and a ``forward``
        event between steps; a dossier that stops at ``end`` (a working-time position)
        stays at the step it was in. A pause for a supplement moves the step's due time."""
        officer = unit.officers
        first = proc.steps[0]
        reception = officer[Role.RECEPTION_OFFICER]
        rows = [[first, received, self.after(received, first[3] / HOUR), received, reception]]
        start = self.pos(received)
        for n, step in enumerate(proc.steps[1:]):
            if end is not None and start > end:
                rows.append([step, None, None, None, None])
                continue
            finish = bounds[n]
            allotted = step[3]
            if paused and start <= paused[0] < finish:
                allotted += paused[1]
            started, due = self.at(start), self.at(start + allotted)
            if end is not None and finish > end:
                rows.append([step, started, due, None, None])
                start = end + 1
                continue
            done = self.at(finish)
            rows.append([step, started, due, done, officer[step[2]]])
            if n + 2 < len(proc.steps):
                data = {"step": step[1], "next_step": step[1] + 1}
                events.append(
                    ["forward", "processing", "processing", officer[step[2]], done, "", data]
                )
            start = finish
        return rows

    def write(
        self,
        dossier_id,
        unit,
        proc,
        channel,
        applicant,
        submitter,
        events,
        requests,
        steps,
        day_number,
    ):
        """The rows of one dossier as they stand at ``now``."""
        rng, ids, rows, now = self.rng, self.ids, self.rows, self.now
        public_id = uuid.uuid4()
        kept = [e for e in events if e[4] <= now]
        status = kept[-1][2]
        first = {}
        for e in kept:
            first.setdefault(e[0], e)
        received, paid = first.get("receive"), first.get("pay")
        settled = first.get("complete") or first.get("decline")
        finished = next((e for e in kept if e[2] in FINISHED), None)
        # The last submission (a supplement at reception submits again), the last appointment.
        submitted = [e for e in kept if e[2] == "submitted" and e[1] != "submitted"][-1][4]
        timed = [e for e in kept if "due_at" in e[6]]
        running = [e for e in kept if e[2] == "processing" and e[1] != "processing"]
        asked = [r for r in requests if r[1] <= now]
        current = None
        if received is not None:
            for step, started, step_due, done, by in steps:
                step_id = ids.step
                ids.step += 1
                if started is not None and started > now:
                    started = step_due = None
                if done is not None and done > now:
                    done = by = None
                state = "done" if done else "active" if started else "pending"
                if state == "active" and status in tally.IN_PROGRESS_STATES:
                    current = step_id
                taken = state == "active" and rng.random() < 0.6
                rows.steps.append(
                    (
                        step_id, dossier_id, step[0], step[1], step[2], unit.id, state,
                        by or (unit.officers[step[2]] if taken else None),
                        started, step_due, done, by,
                        self.classify(done, step_due) if done else "",
                    )
                )  # fmt: skip
        waiting = status == "awaiting_supplement" and asked and asked[-1][0] == "processing"
        local_day = kept[0][4].astimezone(self.tz).date()
        rows.dossiers.append(
            (
                dossier_id,
                public_id,
                f"{unit.code}-{local_day:%y%m%d}-{day_number:04d}",
                proc.id, proc.version_id, unit.id, unit.id, applicant, submitter, "", channel,
                {}, status,
                kept[0][4] - timedelta(minutes=rng.uniform(1, 30 if channel == "desk" else 2000)),
                submitted,
                datetime.fromisoformat(kept[0][6]["reception_due_at"]),
                received and received[4],
                bool(received and received[6]["received_late"]),
                None,
                running[-1][4] if status == "processing" else None,
                proc.processing_us if received else None,
                datetime.fromisoformat(timed[-1][6]["due_at"]) if received else None,
                datetime.fromisoformat(received[6]["due_at"]) if received else None,
                asked[-1][1] if waiting else None,
                len(asked),
                0,
                paid and paid[4],
                current,
                settled[4] if settled and settled[0] == "complete" else None,
                finished and finished[4],
                settled[6]["timeliness"] if settled else "",
            )
        )  # fmt: skip
        for action, frm, to, actor, at, reason, data in kept:
            rows.events.append((ids.event, dossier_id, action, frm, to, actor, at, reason, data))
            if action == "receive":  # its status push, delivered (read by the 766 index)
                payload = {"dossier": str(public_id), "action": action, "status": to}
                sent = at + timedelta(seconds=rng.uniform(1, 90))
                rows.messages.append(
                    (
                        ids.message, "national_portal.status", f"status:{ids.event}", payload,
                        "sent", 1, at, at, sent, "",
                    )
                )  # fmt: skip
                ids.message += 1
            ids.event += 1
        for stage, at, expires, answered in asked:
            rows.requests.append(
                (
                    ids.request, dossier_id, stage,
                    SUPPLEMENT_ITEMS if stage == "processing" else SUPPLEMENT_ITEMS[:1],
                    "Bổ sung hồ sơ theo quy định", unit.officers[Role.RECEPTION_OFFICER], at,
                    expires, answered if answered and answered <= now else None,
                )
            )  # fmt: skip
            ids.request += 1
        if status == "returned" and rng.random() < 0.35:
            rated = finished[4] + timedelta(minutes=rng.uniform(1, 2880))
            if rated <= now:
                points = rng.choices((2, 1, 0), (0.7, 0.27, 0.03))[0]
                rows.ratings.append((ids.rating, dossier_id, unit.id, proc.id, points, "", rated))
                for criterion in self.criteria:
                    given = points if rng.random() < 0.8 else rng.choice((2, 1, 0))
                    rows.scores.append((ids.score, ids.rating, criterion, given))
                    ids.score += 1
                ids.rating += 1


# -- generation ---------------------------------------------------------------------------
@dataclass
class Window:
    start: datetime
    end: datetime
    now: datetime


def window(months: int, now: datetime | None = None) -> Window:
    """The ``months`` before the oldest dossier there (before now on an empty database),
    from and to a local midnight so no day is shared with earlier runs."""
    now = now or timezone.now()
    oldest = Dossier.objects.aggregate(m=Min("submitted_at"))["m"]
    tz = timezone.get_current_timezone()
    end = now if oldest is None else datetime.combine(oldest.astimezone(tz).date(), clock(0), tz)
    last_day = end.astimezone(tz).date()
    index = last_day.year * 12 + last_day.month - 1 - months
    first = date(index // 12, index % 12 + 1, min(last_day.day, 28))
    return Window(datetime.combine(first, clock(0), tz), end, now)


def _submission(life: Life, rng: random.Random, span: Window, channel: str) -> datetime:
    """Online at any hour (mostly by day, less at weekends); at the desk in working time."""
    cal, tz = life.cal, life.tz
    seconds = (span.end - span.start).total_seconds()
    while True:
        moment = span.start + timedelta(seconds=rng.random() * seconds)
        local = moment.astimezone(tz)
        if channel in ("desk", "postal"):
            if not cal.is_working_day(local.date()):
                continue
            session = rng.choice(cal.sessions)
            start = datetime.combine(local.date(), session.start, tz)
            length = (datetime.combine(local.date(), session.end, tz) - start).total_seconds()
            moment = start + timedelta(seconds=rng.random() * length)
            if moment >= span.end:
                continue
            return moment
        weekend = not cal.is_working_day(local.date())
        night = local.hour < 7 or local.hour >= 22
        if (weekend and rng.random() < 0.6) or (night and rng.random() < 0.8):
            continue
        return moment


def generate(world: World, count: int, span: Window, *, seed: int = 1) -> dict:
    """Write ``count`` dossiers submitted within ``span`` with their history; the number of
    rows written per table (tallies included)."""
    rng = random.Random(seed)
    ids = Ids.after_existing()
    first_id = ids.dossier
    life = Life(world, rng, ids, Rows(), span.now)
    day_numbers = {}
    bulk_load = _may_skip_triggers()
    written = dict.fromkeys([name for name, _m, _c in TABLES], 0)
    for offset in range(0, count, CHUNK):
        rows = life.rows = Rows()
        for _ in range(min(CHUNK, count - offset)):
            unit = world.units[
                bisect_right(world.unit_weights, rng.random() * world.unit_weights[-1])
            ]
            proc = unit.procedures[
                min(
                    bisect_right(unit.weights, rng.random() * unit.weights[-1]),
                    len(unit.procedures) - 1,
                )
            ]
            names, shares = zip(*CHANNELS[proc.online_level], strict=True)
            channel = rng.choices(names, shares)[0]
            submitted = _submission(life, rng, span, channel)
            key = (unit.id, submitted.astimezone(life.tz).date())
            day_numbers[key] = day_numbers.get(key, 0) + 1
            life.live(unit, proc, channel, submitted, day_numbers[key])
        with transaction.atomic():
            if bulk_load:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = replica")
            for name, model, columns in TABLES:
                _write(model, columns, getattr(rows, name))
                written[name] += len(getattr(rows, name))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [m for _n, m, _c in TABLES]):
                cursor.execute(sql)
            # Fresh statistics, or the planner takes the loaded tables for empty ones.
            cursor.execute(f"ANALYZE {Dossier._meta.db_table}, {DossierEvent._meta.db_table}")
    written["tallies"] = count_tallies(first_id, ids.dossier - 1, world.closes_on_day)
    return written


def _may_skip_triggers() -> bool:
    """On PostgreSQL, as a superuser, the foreign-key triggers are skipped while loading:
    the rows refer to each other by construction."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return bool(cursor.fetchone()[0])


def _json(value):
    return json.dumps(value, ensure_ascii=False)


def _write(model, columns, rows) -> None:
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    json_at = [n for n, c in enumerate(columns) if c in ("form_data", "data", "items", "payload")]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    if json_at:
                        row = list(row)
                        for n in json_at:
                            row[n] = _json(row[n])
                    copy.write_row(row)
            return
        ops = connection.ops

        def plain(value):
            if isinstance(value, datetime):
                return ops.adapt_datetimefield_value(value)
            if isinstance(value, dict | list):
                return _json(value)
            if isinstance(value, uuid.UUID):
                return value.hex
            return value

        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks})",
            [[plain(v) for v in row] for row in rows],
        )


# -- tallies by aggregation ---------------------------------------------------------------
def _dialect(closes_on_day: int):
    """The reporting month of ``e.at`` and the JSON reads, in the database's SQL."""
    if connection.vendor == "postgresql":
        local = "(e.at AT TIME ZONE %s)"
        if closes_on_day:
            month = (
                f"(date_trunc('month', {local} - interval '{int(closes_on_day)} days')"
                " + interval '1 month')::date"
            )
        else:
            month = f"date_trunc('month', {local})::date"
        return (
            month,
            [timezone.get_current_timezone_name()],
            (
                lambda key: f"(e.data ->> '{key}')",
                lambda key: f"(e.data ->> '{key}') = 'true'",
            ),
        )
    # SQLite keeps UTC; the zone's offset is fixed (no daylight saving in Việt Nam).
    offset = timezone.get_current_timezone().utcoffset(datetime(2000, 1, 1))
    shift = f"'{int(offset.total_seconds() // 60):+d} minutes'"
    if closes_on_day:
        month = f"date(e.at, {shift}, '-{int(closes_on_day)} days', 'start of month', '+1 month')"
    else:
        month = f"date(e.at, {shift}, 'start of month')"
    return (
        month,
        [],
        (
            lambda key: f"json_extract(e.data, '$.{key}')",
            lambda key: f"json_extract(e.data, '$.{key}') = 1",
        ),
    )


def tally_sql(closes_on_day: int) -> tuple[str, list]:
    """One ``INSERT … SELECT … GROUP BY`` adding the counts of dossiers ``%s`` … ``%s``
    (ids) to the tallies, counter by counter as ``tally.deltas`` counts one event."""
    month, params, (text, true) = _dialect(closes_on_day)
    in_progress = ", ".join(f"'{s}'" for s in tally.IN_PROGRESS_STATES)
    received_before = (
        "EXISTS (SELECT 1 FROM dossiers_dossierevent r WHERE r.dossier_id = e.dossier_id"
        " AND r.action = 'receive' AND (r.at < e.at OR (r.at = e.at AND r.id < e.id)))"
    )

    def when(condition):
        return f"CASE WHEN {condition} THEN 1 ELSE 0 END"

    def left(action):  # withdrawn or cancelled while being settled
        return (
            f"CASE WHEN e.action = '{action}' AND e.from_status IN ({in_progress}) "
            f"THEN CASE WHEN {received_before} THEN 1 ELSE 0 END ELSE 0 END"
        )

    settled_as = f"COALESCE(NULLIF({text('timeliness')}, ''), d.timeliness)"
    settling = "e.action IN ('complete', 'decline')"
    expressions = {
        **{
            counter: when(f"e.action = 'receive' AND d.channel = '{channel}'")
            for channel, counter in tally.RECEIVED_BY_CHANNEL.items()
        },
        "received_full_online": when(
            "e.action = 'receive' AND p.online_level = 'full'"
            " AND d.channel IN ('online', 'national_portal')"
        ),
        "digitised": when(f"e.action = 'receive' AND {true('digitised')}"),
        **{
            counter: when(f"{settling} AND {settled_as} = '{value}'")
            for value, counter in tally.SETTLED_BY_TIMELINESS.items()
        },
        "declined": when("e.action = 'decline'"),
        "withdrawn": left("withdraw"),
        "cancelled": left("timeout"),
        "moved_in": "0",
        "moved_out": "0",
        "paid": when("e.action = 'pay'"),
        "paid_online": when("e.action = 'pay' AND e.actor_id IS NULL"),
        "returned": when("e.action = 'return_result'"),
        "e_results": when(f"e.action = 'return_result' AND {true('e_result')}"),
    }
    assert set(expressions) == set(COUNTERS), set(COUNTERS) ^ set(expressions)
    table = Tally._meta.db_table
    inner = ", ".join(f"{expressions[c]} AS {c}" for c in COUNTERS)
    sql = (
        f"INSERT INTO {table} (agency_id, procedure_id, month, {', '.join(COUNTERS)}) "
        f"SELECT agency_id, procedure_id, month, {', '.join(f'SUM({c})' for c in COUNTERS)} "
        f"FROM (SELECT d.agency_id, d.procedure_id, {month} AS month, {inner} "
        "FROM dossiers_dossierevent e "
        "JOIN dossiers_dossier d ON d.id = e.dossier_id "
        "JOIN catalogue_procedure p ON p.id = d.procedure_id "
        "WHERE d.id BETWEEN %s AND %s AND d.status <> 'draft' AND e.action IN "
        "('receive', 'complete', 'decline', 'withdraw', 'timeout', 'pay', 'return_result')"
        ") AS counted WHERE 1 = 1 GROUP BY agency_id, procedure_id, month "
        f"HAVING {' + '.join(f'SUM({c})' for c in COUNTERS)} > 0 "
        "ON CONFLICT (agency_id, procedure_id, month) DO UPDATE SET "
        + ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTERS)
    )
    return sql, params


def count_tallies(first_id: int, last_id: int, closes_on_day: int) -> int:
    """Add dossiers ``first_id`` … ``last_id`` to the tallies; the tally rows touched."""
    sql, params = tally_sql(closes_on_day)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one big sort, nothing worth compiling
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, [*params, first_id, last_id])
        return cursor.rowcount


def main() -> int:
    args = _parser().parse_args()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    ensure_catalogue(args.agencies)
    world = load_world()
    span = window(args.months)
    catalogue_done = time.perf_counter()
    written = generate(world, args.dossiers, span, seed=args.dossiers ^ int(span.end.timestamp()))
    seconds = time.perf_counter() - catalogue_done
    rows = sum(written.values())
    print(
        f"database: {connection.vendor}; {len(world.units)} agencies; catalogue "
        f"{catalogue_done - started:.1f} s; dossiers submitted {span.start:%d/%m/%Y} – "
        f"{span.end:%d/%m/%Y}"
    )
    for name, n in written.items():
        print(f"  {name:<9} {n:>10,}")
    print(
        f"{args.dossiers:,} dossiers, {rows:,} rows in {seconds:.1f} s: "
        f"{rows / seconds:,.0f} rows/s, {args.dossiers / seconds:,.0f} dossiers/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
