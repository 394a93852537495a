"""Demo dossiers in every state the profile allows, walked through the engine's services
with past instants, so that their history, deadlines and classification are real."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.calendar.services import calendar_for
from motcua.catalogue.models import Agency, OnlineLevel, Procedure, ProcessStep
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.outbox.models import OutboxMessage
from motcua.profiles import Profile

from . import DEMO_PASSWORD

#: Sample answers for the e-form field types (valid against every demo schema).
SAMPLE_VALUES = {
    "text": "Nguyễn Văn An",
    "textarea": "Thông tin kê khai mẫu.",
    "date": "1990-05-17",
    "number": 1,
    "checkbox": True,
    "email": "nguyenvanan@example.vn",
    "phone": "0912345678",
    "id_number": "027090001234",
}


def sample_form(procedure: Procedure) -> dict:
    data = {}
    for spec in procedure.form_schema.get("fields", []):
        if spec["type"] == "select":
            data[spec["name"]] = spec["choices"][0]
        elif spec["type"] == "number":
            data[spec["name"]] = max(spec.get("min", 1), min(spec.get("max", 1), 1))
        else:
            value = SAMPLE_VALUES[spec["type"]]
            data[spec["name"]] = value[: spec["max_length"]] if "max_length" in spec else value
    return data


def _ancestors(agency: Agency) -> list[int]:
    ids = []
    while agency is not None and agency.pk not in ids:
        ids.append(agency.pk)
        agency = agency.parent
    return ids


def officer(role: str, agency: Agency) -> User:
    """A staff member with ``role`` at ``agency`` (or above it); created if the demo has none."""
    found = User.objects.filter(
        kind=User.Kind.STAFF, role=role, agency_id__in=_ancestors(agency), is_active=True
    ).first()
    if found is None:
        found = User(
            username=f"demo.{role}.{agency.pk}",
            kind=User.Kind.STAFF,
            role=role,
            agency=agency,
            full_name=f"{Role(role).label} — {agency}",
        )
        found.set_password(DEMO_PASSWORD)
        found.save()
    return found


def desk_officer(agency: Agency) -> User:
    """A one-stop officer of a desk that serves ``agency``."""
    desk = agency.served_by_desks.filter(is_active=True).first()
    return officer(Role.RECEPTION_OFFICER, desk.agency if desk else agency)


class Walk:
    """One dossier taken step by step through the services, the clock moving forward."""

    def __init__(self, procedure: Procedure, applicant: User, start: datetime, calendar):
        self.calendar = calendar
        self.now = start
        self.limit = timezone.now()
        agency = procedure.agencies.filter(status=Agency.Status.ACTIVE).order_by("code").first()
        draft = services.create_draft(
            procedure, applicant=applicant, agency=agency, form_data=sample_form(procedure)
        )
        self.dossier = draft
        self.applicant = applicant

    def later(self, hours) -> datetime:
        """Move the clock on by working hours, never past the present."""
        self.now = min(self.calendar.add_hours(self.now, hours), self.limit)
        return self.now

    def submit(self):
        self.dossier = services.submit(self.dossier, self.applicant, at=self.later(0))
        return self

    def pay(self):
        d = self.dossier
        if d.fee_due:
            services.record_payment(d, amount=d.fee_due, reference=f"DEMO-{d.pk}", at=self.now)
        return self

    def receive(self):
        self.pay()
        self.dossier = services.receive(
            self.dossier, desk_officer(self.dossier.agency), at=self.later(0.5)
        )
        return self

    def step_officer(self) -> User:
        step = self.dossier.current_step
        return officer(step.role, step.agency)

    def forward(self, count: int | None = None):
        while self.dossier.current_step and self._later_steps() and count != 0:
            step = self.dossier.current_step
            self.dossier = services.forward(
                self.dossier, self.step_officer(), at=self.later(step.process_step.allotted_hours)
            )
            count = None if count is None else count - 1
        return self

    def _later_steps(self) -> bool:
        return self.dossier.steps.filter(order__gt=self.dossier.current_step.order).exists()

    def complete(self):
        self.forward()
        step = self.dossier.current_step
        self.dossier = services.complete(
            self.dossier, self.step_officer(), at=self.later(step.process_step.allotted_hours)
        )
        return self

    def return_result(self):
        self.dossier = services.return_result(
            self.dossier,
            desk_officer(self.dossier.agency),
            at=self.later(1),
            originals_checked=True,
        )
        return self


def _demo_procedures() -> tuple[Procedure, Procedure, Procedure | None]:
    """(a province procedure, a commune procedure, a partial-level commune procedure),
    chosen among those whose process has no hand-off."""
    handoff = ProcessStep.objects.filter(version__procedure=OuterRef("pk"), is_handoff=True)
    plain = (
        Procedure.objects.filter(is_active=True)
        .exclude(Exists(handoff))
        .order_by("processing_days", "national_code")
    )
    province = plain.filter(level=Procedure.Level.PROVINCE).first()
    commune = plain.filter(level=Procedure.Level.COMMUNE).first()
    partial = plain.filter(level=Procedure.Level.COMMUNE, online_level=OnlineLevel.PARTIAL).first()
    return province, commune, partial


def load_dossiers(profile: Profile) -> int:
    """Create the demo dossiers once; a second run finds them and does nothing."""
    if Dossier.objects.exists():
        return Dossier.objects.count()
    before = OutboxMessage.objects.aggregate(last=Max("pk"))["last"] or 0
    calendar = calendar_for(profile)
    now = timezone.now()
    citizens = list(User.objects.filter(kind=User.Kind.CITIZEN).order_by("username"))
    organisation = User.objects.filter(kind=User.Kind.ORGANISATION).first()
    province, commune, partial = _demo_procedures()

    def walk(procedure, days_ago, applicant=None):
        start = now - timedelta(days=days_ago)
        return Walk(procedure, applicant or citizens[0], start, calendar)

    # A draft, and a fresh submission waiting for reception.
    walk(commune, 0, citizens[1])
    walk(
        province, 0, organisation if "organisation" in province.applicant_kinds else citizens[1]
    ).submit()
    # In processing: on track, and overdue.
    walk(province, 1).submit().receive().forward(count=1)
    walk(commune, 30, citizens[1]).submit().receive()
    # Awaiting a supplement asked during processing.
    w = walk(province, 3).submit().receive()
    services.request_supplement(
        w.dossier,
        w.step_officer(),
        items=["Bản sao có chứng thực"],
        guidance="Bổ sung bản sao có chứng thực.",
        at=w.later(2),
    )
    # Result ready, returned.
    walk(province, 6, citizens[1]).submit().receive().complete()
    walk(commune, 10).submit().receive().complete().return_result()
    # Refused at reception, declined in processing, withdrawn.
    w = walk(commune, 4, citizens[1]).submit()
    services.refuse(
        w.dossier,
        desk_officer(w.dossier.agency),
        reason="Thủ tục không thuộc thẩm quyền.",
        at=w.later(1),
    )
    w = walk(province, 8).submit().receive()
    services.decline(
        w.dossier,
        officer(Role.AGENCY_LEADER, w.dossier.agency),
        reason="Không đủ điều kiện theo quy định.",
        at=w.later(4),
    )
    w = walk(commune, 2).submit()
    services.withdraw(w.dossier, w.applicant, reason="Không còn nhu cầu.", at=w.later(1))
    # Cancelled by the supplement timeout, expired originals: where the profile has them.
    if profile.supplement.timeout is not None:
        w = walk(commune, 60, citizens[1]).submit()
        services.request_supplement(
            w.dossier,
            desk_officer(w.dossier.agency),
            items=["Tờ khai có chữ ký"],
            guidance="Ký tờ khai.",
            at=w.later(1),
        )
        services.timeout(w.dossier, at=now)
    if profile.results.originals_deadline is not None and partial is not None:
        w = walk(partial, 40).submit().receive().complete()
        services.expire(w.dossier, at=now)
    # The history is invented: no applicant is told of it and no peer is sent it.
    OutboxMessage.objects.filter(pk__gt=before).delete()
    return Dossier.objects.count()
