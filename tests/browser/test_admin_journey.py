"""A province administrator signs in and closes a day the national calendar keeps open."""

from datetime import date, datetime

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import User
from motcua.calendar.models import CalendarOverride
from motcua.calendar.services import calendar_for


@pytest.mark.django_db(transaction=True)
def test_admin_adds_an_extra_day_off(live_server, page):
    admin = User.objects.create_superuser(
        "quantri.tinh", "quantri@example.vn", "Mật-khẩu-dài-2026", kind=User.Kind.STAFF
    )
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.goto(f"{live_server.url}/admin/")  # → the staff sign-in, then the second factor
    page.fill("#id_username", "quantri.tinh")
    page.fill("#id_password", "Mật-khẩu-dài-2026")
    page.click("button[type=submit]")
    page.fill("#id_token", f"{code:06d}")
    page.click("button[type=submit]")
    page.wait_for_selector("#user-tools")

    page.goto(f"{live_server.url}/admin/workcalendar/calendaroverride/add/")
    page.fill("#id_day", "02/03/2026")
    page.select_option("#id_kind", "day_off")
    page.fill("#id_reason", "Nghỉ phòng chống bão")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    override = CalendarOverride.objects.get()
    assert override.day == date(2026, 3, 2)
    deadline = calendar_for().add_hours(datetime.fromisoformat("2026-02-27T16:00:00+07:00"), 2)
    assert deadline.isoformat() == "2026-03-03T08:30:00+07:00"
