"""Planned maintenance is announced at least five working days ahead (BN 10.3; the
profile's [maintenance] notice) and shown on the Portal until it is over."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.utils import timezone, translation

from motcua.calendar.models import CalendarOverride
from motcua.dossiers.errors import RuleViolation
from motcua.operations import maintenance
from motcua.operations.models import MaintenanceNotice

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=HCM)


def test_five_working_days_ahead_is_enough(operator):
    notice = maintenance.announce(
        datetime(2026, 3, 9, 9, 0, tzinfo=HCM),
        datetime(2026, 3, 9, 11, 0, tzinfo=HCM),
        "Nâng cấp máy chủ",
        by=operator,
        now=MONDAY,
    )
    assert notice.announced_by == operator
    assert notice.announced_at == MONDAY


def test_less_than_five_working_days_ahead_is_refused(operator):
    with pytest.raises(RuleViolation) as refused:
        maintenance.announce(
            datetime(2026, 3, 9, 8, 59, tzinfo=HCM),
            datetime(2026, 3, 9, 11, 0, tzinfo=HCM),
            "Nâng cấp máy chủ",
            by=operator,
            now=MONDAY,
        )
    assert refused.value.code == "short_notice"
    assert "BN 10.3" in refused.value.message
    assert not MaintenanceNotice.objects.exists()


def test_weekends_do_not_count(operator):
    friday = datetime(2026, 3, 6, 16, 0, tzinfo=HCM)
    # Seven calendar days later is only five working days: the earliest possible start.
    assert maintenance.earliest_start(friday) == datetime(2026, 3, 13, 16, 0, tzinfo=HCM)
    with pytest.raises(RuleViolation):
        maintenance.announce(
            friday + timedelta(days=6), friday + timedelta(days=7), "x", by=operator, now=friday
        )


def test_a_day_off_of_the_calendar_does_not_count(operator):
    CalendarOverride.objects.create(day=datetime(2026, 3, 4).date(), kind="day_off", reason="x")
    assert maintenance.earliest_start(MONDAY) == datetime(2026, 3, 10, 9, 0, tzinfo=HCM)


def test_the_end_must_follow_the_start(operator):
    start = datetime(2026, 4, 1, 9, 0, tzinfo=HCM)
    with pytest.raises(RuleViolation) as refused:
        maintenance.announce(start, start, "x", by=operator, now=MONDAY)
    assert refused.value.code == "maintenance_period"


def _announced(operator, *, days=30, hours=2):
    start = timezone.now() + timedelta(days=days)
    return maintenance.announce(
        start, start + timedelta(hours=hours), "Nâng cấp cơ sở dữ liệu", by=operator
    )


def _banner():
    with translation.override("vi"):
        return Template("{% load operations %}{% maintenance_banner %}").render(Context())


def test_the_banner_shows_notices_until_they_are_over(operator):
    assert _banner().strip() == ""
    notice = _announced(operator)
    html = _banner()
    assert "Bảo trì hệ thống theo kế hoạch" in html
    assert "Nâng cấp cơ sở dữ liệu" in html
    assert timezone.localtime(notice.starts_at).strftime("%H:%M %d/%m/%Y") in html
    MaintenanceNotice.objects.filter(pk=notice.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    cache.delete(maintenance.BANNER_KEY)  # the update above bypasses the services
    assert _banner().strip() == ""


def test_the_banner_is_read_once_a_minute_not_on_every_page(operator, django_assert_num_queries):
    notice = _announced(operator, days=30)
    assert "Nâng cấp cơ sở dữ liệu" in _banner()
    with django_assert_num_queries(0):
        assert "Nâng cấp cơ sở dữ liệu" in _banner()
    maintenance.cancel(notice.pk, by=operator)
    assert "Nâng cấp cơ sở dữ liệu" not in _banner()


def test_a_cancelled_notice_leaves_the_banner(operator):
    notice = _announced(operator)
    maintenance.cancel(notice.pk, by=operator)
    assert _banner().strip() == ""
    with pytest.raises(RuleViolation):
        maintenance.cancel(notice.pk, by=operator)


# The operator's page.


def _form(start, end, text="Nâng cấp máy chủ"):
    local = "%Y-%m-%dT%H:%M"
    return {
        "announce": "",
        "starts_at": timezone.localtime(start).strftime(local),
        "ends_at": timezone.localtime(end).strftime(local),
        "description": text,
    }


def test_only_system_operators_see_the_page(world, operator, signed_in):
    assert signed_in(world.specialist).get("/noi-bo/van-hanh/bao-tri/").status_code == 403
    response = signed_in(operator).get("/noi-bo/van-hanh/bao-tri/")
    assert response.status_code == 200
    assert "Thông báo bảo trì" in response.content.decode()


def test_the_operator_announces_and_cancels(operator, signed_in):
    client = signed_in(operator)
    start = timezone.now() + timedelta(days=30)
    response = client.post("/noi-bo/van-hanh/bao-tri/", _form(start, start + timedelta(hours=2)))
    assert response.status_code == 302
    notice = MaintenanceNotice.objects.get()
    page = client.get("/noi-bo/van-hanh/bao-tri/").content.decode()
    assert "Nâng cấp máy chủ" in page
    response = client.post("/noi-bo/van-hanh/bao-tri/", {"cancel": str(notice.pk)})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.cancelled_by == operator


def test_a_late_announcement_is_refused_on_the_page(operator, signed_in):
    client = signed_in(operator)
    start = timezone.now() + timedelta(hours=1)
    response = client.post("/noi-bo/van-hanh/bao-tri/", _form(start, start + timedelta(hours=2)))
    assert response.status_code == 400
    html = response.content.decode()
    assert "sớm nhất chỉ có thể bắt đầu lúc" in html
    assert "Quá sớm." in html
    assert 'aria-invalid="true"' in html
    assert not MaintenanceNotice.objects.exists()
