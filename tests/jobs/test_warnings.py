"""Deadline warnings and reception-limit alerts to staff (SPEC §3 items 10, 24): once per step
and kind, to the officers holding the step and their leaders, e-mailed through the outbox."""

import pytest
from django.db import connection, transaction

from motcua.accounts.models import Role, User
from motcua.dossiers import services
from motcua.jobs import staff
from motcua.jobs.warnings import deadline_warnings, reception_alerts
from motcua.outbox.delivery import deliver_pending
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import Message, enqueue_once

from ..dossiers.conftest import at, new_dossier, received

# Received Mon 2 Mar 10:00: the specialist's step (16 working hours) is due Wed 4 Mar 10:00
# (the reception step took its hour within the first one), the dossier Mon 9 Mar 10:00.
STEP_DUE = at("2026-03-04T10:00:00+07:00")


def _warnings():
    return OutboxMessage.objects.filter(topic=staff.TOPIC).order_by("id")


def _mailed(mailoutbox):
    return {to: m.body for m in mailoutbox for to in m.to}


def test_a_step_due_soon_warns_its_officers_and_leaders_once(staff_mail, mailoutbox):
    w = staff_mail
    dossier = received(w)
    step = dossier.current_step
    assert (step.role, step.due_at) == (Role.SPECIALIST, STEP_DUE)

    assert deadline_warnings(at("2026-03-02T15:00:00+07:00")) == {}, "more than a day ahead"
    outcomes = deadline_warnings(at("2026-03-03T11:00:00+07:00"))
    assert outcomes == {"due_soon": 1}
    deliver_pending()
    mailed = _mailed(mailoutbox)
    assert set(mailed) == {
        "chuyenvien@motcua.test",
        "truongphong@motcua.test",
        "giamdoc@motcua.test",
    }
    text = mailed["chuyenvien@motcua.test"]
    assert f"Hồ sơ {dossier.code}" in text and "sắp đến hạn xử lý lúc 10 giờ 00 phút" in text
    assert "Bước: Bước 2" in text

    assert deadline_warnings(at("2026-03-03T16:00:00+07:00")) == {"already_warned": 1}
    deliver_pending()
    assert len(mailoutbox) == 3, "each warning once per step and kind"


def test_an_overdue_step_warns_again_once(staff_mail, mailoutbox):
    w = staff_mail
    received(w)
    deadline_warnings(at("2026-03-03T11:00:00+07:00"))
    assert deadline_warnings(at("2026-03-04T10:01:00+07:00")) == {"overdue": 1}
    assert deadline_warnings(at("2026-03-05T10:00:00+07:00")) == {}, "nothing more to say"
    deliver_pending()
    overdue = [
        m for m in mailoutbox if "đã quá hạn xử lý từ 10 giờ 00 phút, ngày 04/03/2026" in m.body
    ]
    assert len(overdue) == 3 and len(mailoutbox) == 6
    assert [m.payload["kind"] for m in _warnings()] == ["due_soon", "overdue"]


def test_a_taken_step_warns_only_the_officer_who_took_it(staff_mail, mailoutbox):
    w = staff_mail
    User.objects.create(
        username="chuyenvien2",
        email="chuyenvien2@motcua.test",
        kind=User.Kind.STAFF,
        role=Role.SPECIALIST,
        agency=w.unit,
    )
    dossier = received(w)
    assert {u.username for u in staff.step_recipients(dossier.current_step)} == {
        "chuyenvien",
        "chuyenvien2",
        "truongphong",
        "giamdoc",
    }
    services.claim(dossier, w.specialist, at=at("2026-03-02T11:00:00+07:00"))
    deadline_warnings(at("2026-03-03T11:00:00+07:00"))
    deliver_pending()
    assert "chuyenvien2@motcua.test" not in _mailed(mailoutbox)
    assert "chuyenvien@motcua.test" in _mailed(mailoutbox)


def test_a_paused_dossier_is_not_warned(staff_mail):
    w = staff_mail
    dossier = received(w)
    services.request_supplement(
        dossier,
        w.specialist,
        items=["Bản vẽ"],
        guidance="Bổ sung bản vẽ",
        at=at("2026-03-02T14:00:00+07:00"),
    )
    assert deadline_warnings(at("2026-03-20T10:00:00+07:00")) == {}


def test_an_online_dossier_not_received_in_time_alerts_the_desk(staff_mail, mailoutbox):
    """BN 14 / NĐ 45/2020 art. 11: received within one working day of the submission."""
    w = staff_mail
    dossier = new_dossier(w)  # submitted Mon 2 Mar 09:00
    assert dossier.reception_due_at == at("2026-03-03T09:00:00+07:00")
    assert reception_alerts(at("2026-03-03T09:00:00+07:00")) == {}
    assert reception_alerts(at("2026-03-03T09:01:00+07:00")) == {"not_received": 1}
    assert reception_alerts(at("2026-03-03T10:00:00+07:00")) == {}
    deliver_pending()
    mailed = _mailed(mailoutbox)
    assert set(mailed) == {"tiepnhan@motcua.test", "giamdoc.tt@motcua.test"}
    assert (
        "chưa được tiếp nhận; thời hạn tiếp nhận là 09 giờ 00 phút"
        in mailed["tiepnhan@motcua.test"]
    )

    services.receive(dossier, w.desk_officer, at=at("2026-03-03T10:00:00+07:00"))
    assert reception_alerts(at("2026-03-04T10:00:00+07:00")) == {}


def test_a_recipient_whose_mail_failed_is_retried_alone(staff_mail, mailoutbox, monkeypatch):
    from motcua.notifications import services as notifications

    w = staff_mail
    received(w)
    real = notifications.CHANNELS["email"]

    def flaky(to, text, key):
        if to == "giamdoc@motcua.test" and not flaky.failed:
            flaky.failed = True
            raise ConnectionError("smtp down")
        return real[1](to, text, key)

    flaky.failed = False
    monkeypatch.setitem(notifications.CHANNELS, "email", (real[0], flaky))
    deadline_warnings(at("2026-03-03T11:00:00+07:00"))
    deliver_pending()
    assert _warnings().get().status == OutboxMessage.Status.PENDING
    assert len(mailoutbox) == 2
    _warnings().update(available_at=at("2026-03-03T11:00:00+07:00"))
    assert deliver_pending() == {"sent": 1}
    assert _warnings().get().status == OutboxMessage.Status.SENT
    assert sorted(m.to[0] for m in mailoutbox) == [
        "chuyenvien@motcua.test",
        "giamdoc@motcua.test",
        "truongphong@motcua.test",
    ]


@pytest.mark.django_db
def test_a_key_given_once_is_never_given_again():
    with transaction.atomic():
        assert enqueue_once(Message("notify.staff", "warn:x", {})) is not None
        assert enqueue_once(Message("notify.staff", "warn:x", {"other": 1})) is None
    assert OutboxMessage.objects.get(key="warn:x").payload == {}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a server database (DATABASE_URL)"
)
def test_two_runs_at_once_give_each_warning_once(staff_mail):
    from ..dossiers.test_concurrency import run_together

    received(staff_mail)
    received(staff_mail, submitted="2026-03-02T09:30:00+07:00")
    results = run_together(lambda i: deadline_warnings(at("2026-03-03T11:00:00+07:00")), 4)
    assert sum(r["due_soon"] for r in results) == 2, results
    assert sum(r["already_warned"] for r in results) == 6
    assert _warnings().count() == 2
