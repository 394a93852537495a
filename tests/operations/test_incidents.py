"""The incident log book (TN 14.1.d): incidents with their start, end, impact, cause and
action taken; what was written is never changed, a correction is a new entry."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from motcua.dossiers.errors import RuleViolation
from motcua.operations import incidents
from motcua.operations.models import Incident, IncidentEntry

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2026, 11, 20, 8, 15, tzinfo=HCM)


def _facts(**changes):
    values = {
        "started_at": START,
        "ended_at": None,
        "impact": "Cổng dịch vụ công không truy cập được",
        "cause": "",
        "action_taken": "",
    }
    return incidents.Facts(**(values | changes))


def test_an_incident_is_recorded_with_who_wrote_it(operator):
    incident = incidents.record(_facts(), by=operator)
    entry = incident.entries.get()
    assert entry.recorded_by == operator
    assert entry.impact == "Cổng dịch vụ công không truy cập được"
    assert entry.ended_at is None


def test_a_correction_is_a_new_entry_and_the_first_stays(operator, world):
    incident = incidents.record(_facts(), by=operator)
    incidents.correct(
        incident.pk,
        _facts(
            ended_at=START + timedelta(hours=2),
            cause="Đầy ổ đĩa máy chủ CSDL",
            action_taken="Mở rộng ổ đĩa, khởi động lại dịch vụ",
        ),
        reason="Đã khắc phục",
        by=world.monitor,
    )
    first, second = incident.entries.order_by("id")
    assert first.ended_at is None and first.cause == ""
    assert second.cause == "Đầy ổ đĩa máy chủ CSDL"
    assert second.recorded_by == world.monitor and second.reason == "Đã khắc phục"
    [listed] = incidents.log_book()
    assert listed.current == second


def test_entries_cannot_be_changed_or_deleted(operator):
    entry = incidents.record(_facts(), by=operator).entries.get()
    entry.impact = "khác"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()
    assert IncidentEntry.objects.get().impact == "Cổng dịch vụ công không truy cập được"


def test_a_correction_needs_a_reason_and_an_end_after_the_start(operator):
    incident = incidents.record(_facts(), by=operator)
    with pytest.raises(RuleViolation) as refused:
        incidents.correct(incident.pk, _facts(), reason=" ", by=operator)
    assert refused.value.code == "incident_reason"
    with pytest.raises(RuleViolation) as refused:
        incidents.correct(
            incident.pk, _facts(ended_at=START - timedelta(minutes=1)), reason="x", by=operator
        )
    assert refused.value.code == "incident_period"
    assert incident.entries.count() == 1


def test_an_incident_without_impact_is_refused(operator):
    with pytest.raises(RuleViolation):
        incidents.record(_facts(impact="  "), by=operator)
    assert not Incident.objects.exists()


# The operator's pages.


def _post(start, end="", **more):
    local = "%Y-%m-%dT%H:%M"
    return {
        "started_at": timezone.localtime(start).strftime(local),
        "ended_at": end and timezone.localtime(end).strftime(local),
        "impact": "Mất kết nối Cổng DVC quốc gia",
        "cause": "",
        "action_taken": "",
    } | more


def test_only_system_operators_keep_the_log_book(world, operator, signed_in):
    assert signed_in(world.desk_officer).get("/noi-bo/van-hanh/su-co/").status_code == 403
    page = signed_in(operator).get("/noi-bo/van-hanh/su-co/")
    assert page.status_code == 200
    assert "Sổ nhật ký sự cố" in page.content.decode()


def test_the_operator_records_then_corrects(operator, signed_in):
    client = signed_in(operator)
    response = client.post("/noi-bo/van-hanh/su-co/", _post(START))
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert response["Location"] == f"/noi-bo/van-hanh/su-co/{incident.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Mất kết nối Cổng DVC quốc gia" in page
    assert "Đang diễn ra" in page
    response = client.post(
        response["Location"],
        _post(
            START,
            START + timedelta(hours=1),
            cause="Lỗi chứng thư",
            reason="Bổ sung nguyên nhân",
        ),
    )
    assert response.status_code == 302
    assert incident.entries.count() == 2
    listing = client.get("/noi-bo/van-hanh/su-co/").content.decode()
    assert "Đang diễn ra" not in listing


def test_a_correction_without_reason_is_refused_on_the_page(operator, signed_in):
    client = signed_in(operator)
    incident = incidents.record(_facts(), by=operator)
    response = client.post(f"/noi-bo/van-hanh/su-co/{incident.pk}/", _post(START, reason=""))
    assert response.status_code == 400
    assert "aria-invalid" in response.content.decode()
    assert incident.entries.count() == 1
