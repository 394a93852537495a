"""A province administrator signs in and closes a day the national calendar keeps open."""

from datetime import date, datetime

import pytest

from motcua.accounts.models import User
from motcua.calendar.models import CalendarOverride
from motcua.calendar.services import calendar_for


@pytest.mark.django_db(transaction=True)
def test_admin_adds_an_extra_day_off(live_server, page):
    User.objects.create_superuser(
        "quantri.tinh", "quantri@example.vn", "Mật-khẩu-dài-2026", kind=User.Kind.STAFF
    )
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "quantri.tinh")
    page.fill("#id_password", "Mật-khẩu-dài-2026")
    page.click("input[type=submit]")
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
