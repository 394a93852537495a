"""Stored due times follow a calendar override (``motcua recompute_deadlines``)."""

from datetime import date
from io import StringIO

from django.core.management import call_command

from motcua.calendar.models import CalendarOverride
from motcua.dossiers import services

from .conftest import at, new_dossier, received


def test_an_extra_day_off_moves_open_deadlines(world):
    w = world
    processing = received(w)  # due Mon 9 Mar 10:00
    waiting = new_dossier(w, submitted="2026-03-05T09:00:00+07:00")  # due Fri 6 Mar 09:00
    extended = services.extend(
        received(w),
        w.leader,
        new_due_at=at("2026-03-12T10:00:00+07:00"),
        apology="Xin lỗi",
        at=at("2026-03-04T09:00:00+07:00"),
    )
    step_due = processing.current_step.due_at  # Wed 4 Mar 10:00

    CalendarOverride.objects.create(day=date(2026, 3, 4), kind="day_off", reason="Bão")
    out = StringIO()
    call_command("recompute_deadlines", stdout=out)

    for dossier in (processing, waiting, extended):
        dossier.refresh_from_db()
    assert processing.due_at == at("2026-03-10T10:00:00+07:00")
    assert processing.original_due_at == processing.due_at
    assert processing.current_step.due_at == at("2026-03-05T10:00:00+07:00") != step_due
    assert waiting.reception_due_at == at("2026-03-06T09:00:00+07:00")  # 5 Mar unaffected
    assert extended.due_at == at("2026-03-12T10:00:00+07:00")  # a promised date stays
    assert "dossiers" in out.getvalue()
