"""Reports made on each profile's report dates and the month-end snapshot (SPEC §3 items
18, 24): BN 24.1 and TN 21.3 → NĐ 09/2019/NĐ-CP Điều 12 (months close on the 14th, due on
the 20th), VP 24.1 (the 20th), HT 14 (the 5th; the year before 5 December), HG 21 (before
30 June and 30 November)."""

import hashlib
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from motcua.profiles import load_profile
from motcua.reports import scheduled
from motcua.reports.models import MonthEnd, StoredReport

from ..dossiers.conftest import at, received

pytestmark = pytest.mark.urls("tests.reports.urls_statistics")


def due(profile: str, day: date) -> list[tuple]:
    """``(period, first day, last day, due date)`` of the reports made on ``day``."""
    return [
        (d.entry.period, d.period.start_day, d.period.end_day, d.due_on)
        for d in scheduled.due_reports(day, load_profile(profile))
    ]


@pytest.mark.parametrize("profile", ["bac-ninh", "thai-nguyen"])
def test_monthly_reports_close_on_the_14th_and_are_due_on_the_20th(profile):
    """BN 24.1, TN 21.3 → NĐ 09/2019/NĐ-CP Điều 12."""
    assert due(profile, date(2026, 4, 15))[0] == (
        "month", date(2026, 3, 15), date(2026, 4, 14), date(2026, 4, 20)
    )  # fmt: skip
    assert due(profile, date(2026, 4, 14)) == []
    assert due(profile, date(2026, 4, 16)) == []
    # December's period runs from 15 November to 14 December.
    assert due(profile, date(2026, 12, 15))[0][1:] == (
        date(2026, 11, 15), date(2026, 12, 14), date(2026, 12, 20)
    )  # fmt: skip


def test_bac_ninh_quarter_closes_with_its_last_month():
    """BN 25.4 → NĐ 09/2019 Điều 12: the second quarter is 15 March – 14 June."""
    assert due("bac-ninh", date(2026, 6, 15)) == [
        ("month", date(2026, 5, 15), date(2026, 6, 14), date(2026, 6, 20)),
        ("quarter", date(2026, 3, 15), date(2026, 6, 14), date(2026, 6, 20)),
    ]
    assert [d[0] for d in due("thai-nguyen", date(2026, 6, 15))] == ["month"]


def test_vinh_phuc_reports_on_the_20th():
    """VP 24.1: monthly on the 20th; quarterly on the 20th, after the quarter closes."""
    assert due("vinh-phuc", date(2026, 5, 1)) == [
        ("month", date(2026, 4, 1), date(2026, 4, 30), date(2026, 5, 20)),
    ]
    assert due("vinh-phuc", date(2026, 4, 1)) == [
        ("month", date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 20)),
        ("quarter", date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 20)),
    ]
    assert due("vinh-phuc", date(2026, 4, 20)) == []


def test_ha_tinh_quarter_and_year():
    """HT 14: quarterly before the 5th; the year's report before 5 December, so it is made
    on 4 December with the figures of that day."""
    assert due("ha-tinh", date(2026, 4, 1)) == [
        ("quarter", date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 5)),
    ]
    assert due("ha-tinh", date(2026, 12, 4)) == [
        ("year", date(2026, 1, 1), date(2026, 12, 31), date(2026, 12, 5)),
    ]
    assert [d[0] for d in due("ha-tinh", date(2027, 1, 1))] == ["quarter"]
    assert due("ha-tinh", date(2026, 5, 1)) == []


def test_hau_giang_half_year_and_year():
    """HG 21: before 30 June and before 30 November."""
    assert due("hau-giang", date(2026, 6, 29)) == [
        ("half_year", date(2026, 1, 1), date(2026, 6, 30), date(2026, 6, 30)),
    ]
    assert due("hau-giang", date(2026, 11, 29)) == [
        ("year", date(2026, 1, 1), date(2026, 12, 31), date(2026, 11, 30)),
    ]
    assert due("hau-giang", date(2026, 7, 1)) == []
    assert due("hau-giang", date(2027, 1, 1)) == []


def test_reports_are_stored_once_for_the_province_and_each_top_level_agency(world):
    received(world, submitted="2026-04-01T08:00:00+07:00", receive="2026-04-01T10:00:00+07:00")
    assert scheduled.make_due_reports(date(2026, 4, 15)) == {"made": 5, "kept": 0}
    stored = StoredReport.objects.order_by("pk")
    scopes = {r.agency.name if r.agency else None for r in stored}
    # The province, the department, the police, the centre and the commune; not the unit.
    assert scopes == {None, "Sở Tư pháp", "Công an tỉnh", "Trung tâm PVHCC", "UBND phường Kinh Bắc"}
    for report in stored:
        assert (report.kind, report.period_kind) == ("statistics", "month")
        assert (report.first_month, report.last_month) == (date(2026, 4, 1), date(2026, 4, 1))
        assert report.created_by is None and report.file_format == "xlsx"
        data = report.file.read()
        assert hashlib.sha256(data).hexdigest() == report.sha256
    province = stored.get(agency=None)
    province.file.seek(0)
    sheet = load_workbook(io.BytesIO(province.file.read())).active
    assert sheet["A2"].value == "Đơn vị báo cáo: Toàn tỉnh"
    assert sheet["B6"].value == "Cơ quan, đơn vị"
    assert sheet.cell(sheet.max_row, 3).value == 1  # received in the period
    # Twice on the same day, or caught up later: nothing made again.
    assert scheduled.make_due_reports(date(2026, 4, 15)) == {"made": 0, "kept": 5}
    assert scheduled.run_scheduled(date(2026, 4, 17))["made"] == 0
    assert StoredReport.objects.count() == 5


def test_a_missed_day_is_caught_up(world):
    assert scheduled.run_scheduled(date(2026, 4, 18)) == {"snapshots": 0, "made": 5, "kept": 0}
    assert StoredReport.objects.filter(first_month=date(2026, 4, 1)).count() == 5


def test_the_month_end_is_snapshot_once_when_the_month_closes(world):
    received(world, submitted="2026-04-01T08:00:00+07:00", receive="2026-04-01T10:00:00+07:00")
    assert scheduled.close_ended_month(date(2026, 4, 14)) == {"snapshots": 0}
    assert scheduled.close_ended_month(date(2026, 4, 15)) == {"snapshots": 1}
    snapshot = MonthEnd.objects.get()
    assert snapshot.month == date(2026, 4, 1)
    assert (snapshot.in_progress, snapshot.overdue) == (1, 1)  # due 8 April
    assert snapshot.taken_at == at("2026-04-15T00:00:00+07:00")  # the moment it closed
    assert scheduled.close_ended_month(date(2026, 4, 15)) == {"snapshots": 0}
    assert MonthEnd.objects.count() == 1


def test_calendar_months_close_on_the_last_day(world):
    """VP 24.1: the month ends with the calendar month."""
    received(world, submitted="2026-04-01T08:00:00+07:00", receive="2026-04-01T10:00:00+07:00")
    vinh_phuc = load_profile("vinh-phuc")
    assert scheduled.close_ended_month(date(2026, 4, 30), vinh_phuc) == {"snapshots": 0}
    assert scheduled.close_ended_month(date(2026, 5, 1), vinh_phuc) == {"snapshots": 1}
    assert MonthEnd.objects.get().month == date(2026, 4, 1)


def test_stored_reports_are_listed_and_served_to_their_readers(world, signed_in, client):
    scheduled.make_due_reports(date(2026, 4, 15))
    province = StoredReport.objects.get(agency=None)
    department = StoredReport.objects.get(agency=world.department)
    monitor = signed_in(world.monitor)
    page = monitor.get("/noi-bo/bao-cao/da-luu/").content.decode()
    assert page.count('<tr id="stored-') == 5
    response = monitor.get(f"/noi-bo/bao-cao/da-luu/{province.pk}/tai-ve/")
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == province.sha256
    assert "attachment" in response["Content-Disposition"]

    leader = signed_in(world.leader)
    page = leader.get("/noi-bo/bao-cao/da-luu/").content.decode()
    assert page.count('<tr id="stored-') == 1 and f'id="stored-{department.pk}"' in page
    assert leader.get(f"/noi-bo/bao-cao/da-luu/{department.pk}/tai-ve/").status_code == 200
    assert leader.get(f"/noi-bo/bao-cao/da-luu/{province.pk}/tai-ve/").status_code == 404
    assert (
        signed_in(world.specialist)
        .get(f"/noi-bo/bao-cao/da-luu/{department.pk}/tai-ve/")
        .status_code
        == 403
    )
    client.logout()
    anonymous = client.get(f"/noi-bo/bao-cao/da-luu/{department.pk}/tai-ve/")
    assert anonymous.status_code == 302
