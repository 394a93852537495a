"""A small province to walk dossiers through: a department reached through the provincial
centre's desk, a commune with its own desk, one officer per role."""

from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from motcua.accounts.models import Role, User
from motcua.catalogue.models import Agency, Component, Fee, OneStopDesk, ProcessStep
from motcua.catalogue.services import publish_process_version
from motcua.dossiers import services

from ..factories import FieldFactory, ProcedureFactory, ProcessVersionFactory


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _staff(username, role, agency):
    return User.objects.create(
        username=username, kind=User.Kind.STAFF, role=role, agency=agency, full_name=username
    )


def _procedure(agency, *, days, online_level, fee, steps, code):
    procedure = ProcedureFactory(
        national_code=code,
        processing_days=Decimal(days),
        online_level=online_level,
        agencies=[agency],
        field=FieldFactory(),
        form_schema={
            "fields": [
                {
                    "name": "full_name",
                    "label": "Họ và tên",
                    "type": "text",
                    "required": True,
                    "max_length": 100,
                },
                {
                    "name": "id_number",
                    "label": "Số định danh",
                    "type": "id_number",
                    "required": True,
                },
            ]
        },
    )
    if fee:
        Fee.objects.create(procedure=procedure, name="Lệ phí", amount=fee)
    Component.objects.create(procedure=procedure, order=1, name="Tờ khai", formats=["pdf"])
    version = ProcessVersionFactory(procedure=procedure, number=1)
    for order, (role, hours, unit) in enumerate(steps, start=1):
        ProcessStep.objects.create(
            version=version,
            order=order,
            name=f"Bước {order}",
            role=role,
            unit=unit,
            allotted_hours=Decimal(hours),
        )
    publish_process_version(version)
    return procedure


@pytest.fixture
def world(db):
    province = Agency.objects.create(code="000.00.00.H06", name="UBND tỉnh", level="province")
    department = Agency.objects.create(
        code="000.00.15.H06", name="Sở Tư pháp", level="department", parent=province
    )
    unit = Agency.objects.create(
        code="000.15.01.H06", name="Phòng Hành chính tư pháp", level="unit", parent=department
    )
    police = Agency.objects.create(
        code="000.00.20.H06", name="Công an tỉnh", level="department", parent=province
    )
    centre = Agency.objects.create(
        code="000.00.90.H06", name="Trung tâm PVHCC", level="center", parent=province
    )
    commune = Agency.objects.create(
        code="H06.01.01", name="UBND phường Kinh Bắc", level="commune", parent=province
    )
    desk = OneStopDesk.objects.create(name="Trung tâm PVHCC tỉnh", agency=centre)
    desk.served_agencies.add(department)
    commune_desk = OneStopDesk.objects.create(name="Bộ phận Một cửa phường", agency=commune)
    commune_desk.served_agencies.add(commune)

    w = SimpleNamespace(
        province=province,
        department=department,
        unit=unit,
        police=police,
        centre=centre,
        commune=commune,
    )
    w.desk_officer = _staff("tiepnhan", Role.RECEPTION_OFFICER, centre)
    w.centre_director = _staff("giamdoc.tt", Role.AGENCY_LEADER, centre)
    w.specialist = _staff("chuyenvien", Role.SPECIALIST, unit)
    w.unit_leader = _staff("truongphong", Role.UNIT_LEADER, unit)
    w.leader = _staff("giamdoc", Role.AGENCY_LEADER, department)
    w.clerk = _staff("vanthu", Role.CLERK, department)
    w.police_officer = _staff("canbo.ca", Role.SPECIALIST, police)
    w.commune_officer = _staff("xa.tiepnhan", Role.RECEPTION_OFFICER, commune)
    w.commune_specialist = _staff("xa.congchuc", Role.SPECIALIST, commune)
    w.commune_chair = _staff("xa.chutich", Role.AGENCY_LEADER, commune)
    w.monitor = _staff("giamsat", Role.PROVINCE_MONITOR, province)
    w.citizen = User.objects.create(
        username="congdan1", kind=User.Kind.CITIZEN, personal_id="027090001234"
    )
    w.other_citizen = User.objects.create(
        username="congdan2", kind=User.Kind.CITIZEN, personal_id="027185005678"
    )
    # 5 working days = 40 working hours: 1 + 16 + 8 + 8 + 4 = 37.
    w.permit = _procedure(
        department,
        days=5,
        online_level="full",
        fee=100_000,
        code="1.000001",
        steps=[
            (Role.RECEPTION_OFFICER, 1, None),
            (Role.SPECIALIST, 16, unit),
            (Role.UNIT_LEADER, 8, unit),
            (Role.AGENCY_LEADER, 8, None),
            (Role.CLERK, 4, None),
        ],
    )
    # A partial-level commune procedure with a hand-off to the police.
    w.birth = _procedure(
        commune,
        days=3,
        online_level="partial",
        fee=0,
        code="1.000002",
        steps=[
            (Role.RECEPTION_OFFICER, 1, None),
            (Role.SPECIALIST, 8, None),
            (Role.SPECIALIST, 4, police),
            (Role.AGENCY_LEADER, 4, None),
        ],
    )
    w.birth.current_process().steps.filter(unit=police).update(is_handoff=True)
    w.form = {"full_name": "Nguyễn Văn An", "id_number": "027090001234"}
    return w


def new_dossier(w, procedure=None, *, applicant=None, submitted="2026-03-02T09:00:00+07:00"):
    """A submitted dossier."""
    procedure = procedure or w.permit
    applicant = applicant or w.citizen
    draft = services.create_draft(procedure, applicant=applicant, form_data=dict(w.form))
    return services.submit(draft, applicant, at=at(submitted))


def received(
    w,
    procedure=None,
    *,
    submitted="2026-03-02T09:00:00+07:00",
    receive="2026-03-02T10:00:00+07:00",
    applicant=None,
):
    dossier = new_dossier(w, procedure, applicant=applicant, submitted=submitted)
    officer = w.desk_officer if (procedure or w.permit) == w.permit else w.commune_officer
    return services.receive(dossier, officer, at=at(receive))
