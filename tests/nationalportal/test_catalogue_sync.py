"""The catalogue follows the national procedure database, CSDL TTHC (BN 6, HT 3.1.a: the
procedures the province publishes are the national ones): changes are journalled, a procedure
the national database does not know is flagged and kept."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command

from motcua.catalogue.models import Component, Procedure
from motcua.nationalportal.models import ProcedureSync
from motcua.nationalportal.services import PORTAL_USERNAME, sync_catalogue

pytestmark = pytest.mark.django_db

NATIONAL_PERMIT = {
    "code": "1.000001",
    "name": "Cấp giấy phép (sửa đổi)",
    "legal_basis": ["Luật A số 1/2024/QH15", "Nghị định B số 2/2025/NĐ-CP"],
    "processing_days": "7",
    "processing_time_note": "07 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.",
    "fees": [
        {"name": "Lệ phí", "amount": 150000, "note": ""},
        {"name": "Phí thẩm định", "amount": 50000, "note": "Thông tư C"},
    ],
    "components": [
        {"name": "Tờ khai theo mẫu mới", "required": True, "copies": 1},
        {"name": "Bản sao giấy tờ pháp lý", "required": False, "copies": 2},
    ],
}


@pytest.fixture
def national(portal):
    portal.state.procedures = {"1.000001": NATIONAL_PERMIT}
    return portal


def test_a_sync_updates_the_procedure_and_journals_it(world, national):
    report = sync_catalogue()

    permit = Procedure.objects.get(pk=world.permit.pk)
    assert permit.name == "Cấp giấy phép (sửa đổi)"
    assert permit.legal_basis == "Luật A số 1/2024/QH15\nNghị định B số 2/2025/NĐ-CP"
    assert permit.processing_days == Decimal("7")
    assert permit.processing_time_note.startswith("07 ngày")
    assert [(f.name, f.amount) for f in permit.fees.order_by("id")] == [
        ("Lệ phí", 150000),
        ("Phí thẩm định", 50000),
    ]
    components = list(permit.components.order_by("order"))
    assert [(c.order, c.name, c.required, c.copies) for c in components] == [
        (1, "Tờ khai theo mẫu mới", True, 1),
        (2, "Bản sao giấy tờ pháp lý", False, 2),
    ]
    # The reworded document is the same row (files dossiers hold for it stay attached).
    assert components[0].pk == Component.objects.filter(procedure=permit).order_by("id")[0].pk
    assert components[1].formats == ["pdf", "jpg", "jpeg", "png"]

    changes = report.changed["1.000001"]
    assert changes[0] == {
        "changed": {"fields": ["name", "legal_basis", "processing_days", "processing_time_note"]}
    }
    entry = LogEntry.objects.get(object_id=str(permit.pk))
    assert entry.user.username == PORTAL_USERNAME and not entry.user.is_active
    assert "Phí thẩm định" in entry.get_change_message()


def test_an_unknown_procedure_is_flagged_never_deleted(world, national):
    report = sync_catalogue()

    assert report.unknown == ["1.000002"]
    assert Procedure.objects.filter(pk=world.birth.pk, name=world.birth.name).exists()
    assert ProcedureSync.objects.get(procedure=world.birth).unknown_since is not None
    assert ProcedureSync.objects.get(procedure=world.permit).unknown_since is None

    national.state.procedures["1.000002"] = {
        "code": "1.000002",
        "name": world.birth.name,
        "legal_basis": world.birth.legal_basis.splitlines(),
        "processing_days": "3",
        "fees": [],
        "components": [{"name": "Tờ khai"}],
    }
    again = sync_catalogue(["1.000002"])
    assert again.unknown == [] and again.unchanged == ["1.000002"]
    assert ProcedureSync.objects.get(procedure=world.birth).unknown_since is None


def test_a_second_sync_changes_nothing(world, national):
    sync_catalogue(["1.000001"])
    report = sync_catalogue(["1.000001"])
    assert report.unchanged == ["1.000001"] and report.changed == {}
    assert LogEntry.objects.count() == 1


def test_invalid_national_data_changes_nothing(world, national):
    national.state.procedures["1.000001"] = {**NATIONAL_PERMIT, "processing_days": "0"}
    report = sync_catalogue(["1.000001"])
    assert "1.000001" in report.failed
    permit = Procedure.objects.get(pk=world.permit.pk)
    assert permit.name == world.permit.name and permit.fees.get().amount == 100000
    assert ProcedureSync.objects.get(procedure=permit).last_error == report.failed["1.000001"]
    assert not LogEntry.objects.exists()


def test_the_command_prints_the_report(world, national, capsys):
    call_command("sync_national_procedures")
    out = capsys.readouterr().out
    assert "changed: 1, unchanged: 0, unknown nationally: 1, failed: 0" in out
    assert "1.000002: not in the national database (flagged, kept)" in out


def test_the_demo_fake_knows_the_demo_catalogue():
    from motcua.nationalportal.adapters import FakePortalState

    state = FakePortalState.from_demo_catalogue()
    (birth,) = state.procedures_for(["1.001193"])
    assert birth["name"] == "Đăng ký khai sinh"
