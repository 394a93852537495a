"""The monthly late lists (BN 24.3): late dossiers per agency, late steps per unit and
officer, how late on the working calendar, the apology of each late dossier (VP 14.4.a,
VP 22.7), and their publication as a stored, audited snapshot."""

import csv
import io
import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.audit.models import AuditEntry
from motcua.dossiers import services
from motcua.reports import late_lists
from motcua.reports.models import StoredReport
from motcua.reports.periods import Period

from ..dossiers.conftest import at, received
from .fixtures_late_lists import APPLICANT_ID, APPLICANT_NAME, forward, make_late

MARCH = Period.of("month", date(2026, 3, 1), closes_on_day=14)
APRIL = Period.of("month", date(2026, 4, 1), closes_on_day=14)
AFTER_MARCH = at("2026-04-20T08:00:00+07:00")


@pytest.fixture
def late(world):
    return make_late(world)


def _items(groups, name):
    group = next(g for g in groups if g.name == name)
    return {(item.dossier if hasattr(item, "dossier") else item.step.dossier).code: item
            for item in group.items}  # fmt: skip


def test_24_3_agencies_with_dossiers_settled_late_or_overdue_at_the_end_of_the_month(late):
    result = late_lists.late_list(MARCH, now=AFTER_MARCH)
    assert [g.name for g in result.agencies] == ["Sở Tư pháp", "UBND phường Kinh Bắc"]
    department = _items(result.agencies, "Sở Tư pháp")
    assert set(department) == {late.a.code, late.b.code, late.d.code, late.e.code}
    assert late.c.code not in department  # settled early
    assert {code: i.state for code, i in department.items()} == {
        late.a.code: "settled",
        late.d.code: "settled",
        late.b.code: "open",
        # Settled in April, but overdue when March ended.
        late.e.code: "open",
    }
    assert set(_items(result.agencies, "UBND phường Kinh Bắc")) == {late.f.code}


def test_how_late_is_working_time_on_the_calendar(late):
    result = late_lists.late_list(MARCH, now=AFTER_MARCH)
    department = _items(result.agencies, "Sở Tư pháp")
    hour = 3_600_000_000
    # Appointment Mon 9 Mar 10:00, result Tue 10 Mar 10:00: one working day.
    assert department[late.a.code].late_us == 8 * hour
    # Overdue at the month's end (Sat 14 Mar): Mon 9 Mar 10:00–17:00 less the break is
    # 5.5 h, then 4 working days.
    assert department[late.b.code].late_us == (4 * 8 + 5.5) * hour
    data = late_lists.snapshot(result)
    b = next(i for i in data["agencies"][0]["items"] if i["code"] == late.b.code)
    assert (b["late_days"], b["late_hours"], b["late_minutes"]) == (4, 5, 30)
    assert b["late_working_hours"] == "37.5"


def test_lateness_reads_as_working_days_hours_and_minutes():
    hour = 3_600_000_000
    assert late_lists._lateness(40 * hour + 15 * 60_000_000, 8 * hour) == {
        "late_working_hours": "40.25",
        "late_days": 5,
        "late_hours": 0,
        "late_minutes": 15,
    }


def test_an_extended_dossier_is_late_against_its_first_appointment_and_has_its_apology(late):
    """VP 14.4.đ: an extended dossier is settled late; VP 14.4.a, VP 22.7: the head of the
    agency signs an apology with the new date."""
    department = _items(late_lists.late_list(MARCH, now=AFTER_MARCH).agencies, "Sở Tư pháp")
    d = department[late.d.code]
    assert d.due_at == at("2026-03-09T10:00:00+07:00")
    assert d.late_us == 16 * 3_600_000_000
    assert d.apology_at == at("2026-03-06T09:00:00+07:00")
    assert department[late.a.code].apology_at is None


def test_units_and_officers_answer_for_their_late_steps(late):
    result = late_lists.late_list(MARCH, now=AFTER_MARCH)
    unit = _items(result.units, "Phòng Hành chính tư pháp")
    assert set(unit) == {late.a.code, late.b.code, late.d.code}
    # The specialist's 16 hours ran out Wed 4 Mar 10:00; forwarded Thu 5 Mar 10:00.
    assert unit[late.a.code].late_us == 8 * 3_600_000_000
    assert unit[late.b.code].state == "open"
    specialist = _items(result.officers, "chuyenvien")
    assert set(specialist) == {late.a.code, late.b.code, late.d.code}
    assert specialist[late.b.code].officer == late.w.specialist  # took the step, kept it
    # The clerk's step of E was overdue at the month's end, nobody had taken it.
    untaken = next(g for g in result.officers if g.key is None)
    assert [i.step.dossier.code for i in untaken.items] == [late.e.code]
    clerk = _items(result.officers, "vanthu")
    assert set(clerk) == {late.a.code}
    police = _items(result.units, "Công an tỉnh")
    assert set(police) == {late.f.code}


def test_the_next_month_counts_what_was_settled_late_in_it(late):
    result = late_lists.late_list(APRIL, now=at("2026-04-20T08:00:00+07:00"))
    department = _items(result.agencies, "Sở Tư pháp")
    assert department[late.e.code].state == "settled"
    assert department[late.b.code].state == "open"  # still overdue
    assert late.a.code not in department


def test_while_the_month_runs_lateness_counts_up_to_now(world):
    w = world
    dossier = received(w)  # due Mon 9 Mar 10:00
    now = at("2026-03-10T10:00:00+07:00")
    result = late_lists.late_list(MARCH, now=now)
    [row] = result.dossiers
    assert (row.dossier.code, row.state, row.late_us) == (dossier.code, "open", 8 * 3_600_000_000)


def test_a_dossier_paused_after_the_month_ended_was_overdue_in_it(world):
    """The clock pauses for a supplement (VP 13.3): paused after the month ended, the
    dossier was overdue in it, and is not overdue while it waits."""
    w = world
    dossier = received(w)  # due Mon 9 Mar 10:00
    dossier = services.request_supplement(
        dossier,
        w.specialist,
        items=["Bản sao giấy tờ"],
        guidance="Bổ sung bản sao",
        at=at("2026-03-17T09:00:00+07:00"),
    )
    [row] = late_lists.late_list(MARCH, now=AFTER_MARCH).dossiers
    assert (row.dossier.code, row.state) == (dossier.code, "open")
    assert late_lists.late_list(APRIL, now=AFTER_MARCH).dossiers == []


def test_leaders_read_their_sub_tree_only(late):
    w = late.w
    assert late_lists.scope_of(w.monitor) is None
    leader = late_lists.late_list(MARCH, agencies=late_lists.scope_of(w.leader), now=AFTER_MARCH)
    assert [g.name for g in leader.agencies] == ["Sở Tư pháp"]
    assert {g.name for g in leader.units} == {"Phòng Hành chính tư pháp", "Sở Tư pháp"}
    unit = late_lists.late_list(MARCH, agencies=late_lists.scope_of(w.unit_leader), now=AFTER_MARCH)
    assert unit.agencies == []
    assert [g.name for g in unit.units] == ["Phòng Hành chính tư pháp"]
    commune = late_lists.late_list(
        MARCH, agencies=late_lists.scope_of(w.commune_chair), now=AFTER_MARCH
    )
    assert [i.dossier.code for i in commune.dossiers] == [late.f.code]


@pytest.mark.parametrize("who", ["specialist", "desk_officer", "clerk", "citizen"])
def test_others_do_not_read_the_lists(world, who):
    with pytest.raises(late_lists.NotAllowed):
        late_lists.scope_of(getattr(world, who))


def test_the_queries_do_not_grow_with_the_number_of_dossiers(late):
    with CaptureQueriesContext(connection) as first:
        late_lists.snapshot(late_lists.late_list(MARCH, now=AFTER_MARCH))
    w = late.w
    for _n in range(3):
        dossier = received(w)
        dossier = forward(dossier, w.specialist, "2026-03-06T10:00:00+07:00")
    with CaptureQueriesContext(connection) as second:
        result = late_lists.late_list(MARCH, now=AFTER_MARCH)
        late_lists.snapshot(result)
    assert len(result.dossiers) == 8
    assert len(second) == len(first) <= 7


def test_the_snapshot_names_no_applicant(late):
    data = late_lists.snapshot(late_lists.late_list(MARCH, now=AFTER_MARCH))
    text = json.dumps(data, ensure_ascii=False) + late_lists.to_csv(data).decode()
    assert late.a.code in text and "chuyenvien" in text
    for personal in (APPLICANT_NAME, APPLICANT_ID, late.w.citizen.username):
        assert personal not in text


def test_the_csv_has_one_row_per_late_item(late):
    data = late_lists.snapshot(late_lists.late_list(MARCH, now=AFTER_MARCH))
    rows = list(csv.reader(io.StringIO(late_lists.to_csv(data).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Danh sách", "Cơ quan, đơn vị hoặc cán bộ", "Mã hồ sơ"]
    assert len(rows) == 1 + data["totals"]["dossiers"] + 2 * data["totals"]["steps"]
    a = next(row for row in rows if row[2] == late.a.code)
    assert a[0] == "Cơ quan" and a[6] == "Giải quyết quá hạn" and a[9] == "8"
    untaken = next(row for row in rows if row[1] == "Chưa có cán bộ nhận xử lý")
    assert untaken[2] == late.e.code and untaken[6] == "Quá hạn, đang giải quyết"


def test_publishing_stores_the_snapshot_and_audits_it(late):
    w = late.w
    report = late_lists.publish(date(2026, 3, 1), w.monitor, now=AFTER_MARCH)
    assert (report.kind, report.first_month, report.last_month, report.agency) == (
        StoredReport.Kind.LATE_LIST,
        date(2026, 3, 1),
        date(2026, 3, 1),
        None,
    )
    assert report.published_at == AFTER_MARCH and report.created_by == w.monitor
    data = late_lists.read(report)
    assert data["totals"]["dossiers"] == 5 and data["replaces"] is None
    entry = AuditEntry.objects.get(action="reports.late_list.publish")
    assert entry.actor == w.monitor and entry.target_id == str(report.pk)
    assert entry.details["sha256"] == report.sha256
    assert late_lists.current_version(date(2026, 3, 1)) == report


def test_publishing_again_replaces_the_public_version_and_keeps_the_earlier_one(late):
    w = late.w
    first = late_lists.publish(date(2026, 3, 1), w.monitor, now=AFTER_MARCH)
    second = late_lists.publish(date(2026, 3, 1), w.monitor, now=at("2026-04-21T08:00:00+07:00"))
    assert late_lists.current_version(date(2026, 3, 1)) == second
    assert late_lists.read(second)["replaces"]["sha256"] == first.sha256
    assert late_lists.read(first)["totals"]["dossiers"] == 5  # kept as issued
    assert [r.pk for r in late_lists.published_months()] == [second.pk]
    assert AuditEntry.objects.filter(action="reports.late_list.publish").count() == 2


def test_a_month_is_published_once_it_has_ended(late):
    with pytest.raises(late_lists.LateListError) as error:
        late_lists.publish(date(2026, 3, 1), late.w.monitor, now=at("2026-03-14T20:00:00+07:00"))
    assert error.value.code == "month_open"
    assert not StoredReport.objects.exists()


@pytest.mark.parametrize("who", ["leader", "unit_leader", "specialist"])
def test_only_the_monitor_publishes(late, who):
    with pytest.raises(late_lists.NotAllowed):
        late_lists.publish(date(2026, 3, 1), getattr(late.w, who), now=AFTER_MARCH)
    assert not StoredReport.objects.exists()


def test_a_stored_list_that_does_not_match_its_checksum_is_not_read(late):
    report = late_lists.publish(date(2026, 3, 1), late.w.monitor, now=AFTER_MARCH)
    StoredReport.objects.filter(pk=report.pk).update(sha256="0" * 64)
    report.refresh_from_db()
    with pytest.raises(late_lists.LateListError) as error:
        late_lists.read(report)
    assert error.value.code == "tampered"
