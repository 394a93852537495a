"""Every status change reaches the national portal in its terms, once per change, through the
outbox (SPEC §3 items 22, 23)."""

import time

import pytest
from django.utils import timezone

from motcua.dossiers import services as engine
from motcua.dossiers.models import Status
from motcua.nationalportal.statuses import TABLE, NoNationalStatus, national_status
from motcua.outbox import delivery
from motcua.outbox.models import OutboxMessage

from .conftest import at, new_dossier

pytestmark = pytest.mark.django_db

TOPIC = "national_portal.status"


def _status_messages():
    return list(OutboxMessage.objects.filter(topic=TOPIC).order_by("id"))


def _deliver_status_messages():
    return [delivery.deliver(message.pk) for message in _status_messages()]


@pytest.mark.parametrize(
    ("action", "status", "code"),
    [
        ("submit", Status.SUBMITTED, "1"),
        ("resubmit", Status.SUBMITTED, "1"),
        ("receive", Status.PROCESSING, "2"),
        ("refuse", Status.REFUSED, "3"),
        ("forward", Status.PROCESSING, "4"),
        ("resubmit", Status.PROCESSING, "4"),
        ("request_supplement", Status.AWAITING_SUPPLEMENT, "5"),
        ("withdraw", Status.WITHDRAWN, "7"),
        ("decline", Status.DECLINED, "8"),
        ("timeout", Status.CANCELLED, "8"),
        ("expire", Status.EXPIRED, "8"),
        ("complete", Status.RESULT_READY, "9"),
        ("pay", Status.RESULT_READY, "9"),
        ("return_result", Status.RETURNED, "10"),
    ],
)
def test_each_change_has_its_national_code(action, status, code):
    assert national_status(action, status)[0] == code


def test_every_status_but_draft_has_a_national_code():
    mapped = {status for _action, status in TABLE}
    assert mapped == set(Status) - {Status.DRAFT}
    with pytest.raises(NoNationalStatus):
        national_status("submit", Status.DRAFT)


def test_changes_are_pushed_mapped_with_the_outbox_key(world, portal):
    dossier = new_dossier(world)
    dossier = engine.request_supplement(
        dossier,
        world.desk_officer,
        items=["Bản sao giấy tờ tùy thân"],
        guidance="Bổ sung bản sao",
        at=at("2026-03-02T10:00:00+07:00"),
    )
    dossier = engine.resubmit(dossier, world.citizen, at=at("2026-03-03T09:00:00+07:00"))
    dossier = engine.receive(dossier, world.desk_officer, at=at("2026-03-03T10:00:00+07:00"))
    dossier = engine.withdraw(
        dossier, world.citizen, reason="Không còn nhu cầu", at=at("2026-03-04T08:00:00+07:00")
    )

    assert _deliver_status_messages() == ["sent"] * 5
    messages = _status_messages()
    keys = [message.key for message in messages]
    assert [r.key for r in portal.received] == keys
    assert all(r.path == "/dossier-status" for r in portal.received)
    records = [portal.state.statuses[key] for key in keys]
    assert [r["TrangThaiHoSo"] for r in records] == ["1", "5", "1", "2", "7"]
    assert records[3]["TenTrangThaiHoSo"] == "Được tiếp nhận"
    first = records[0]
    assert first["MaHoSo"] == dossier.code
    assert first["MaTTHC"] == "1.000001"
    assert first["MaDonVi"] == "000.00.15.H06"
    assert first["KenhThucHien"] == "2"
    assert first["NgayCapNhat"] == "20260302090000"  # local time, yyyyMMddHHmmss
    assert records[3]["NgayHenTra"] == timezone.localtime(dossier.due_at).strftime("%Y%m%d%H%M%S")


def test_errors_then_timeouts_then_recovery_deliver_exactly_once(world, portal):
    new_dossier(world)
    (message,) = _status_messages()
    portal.fail("error", "error", "timeout", "timeout")

    outcomes = []
    for _attempt in range(5):
        outcomes.append(delivery.deliver(message.pk))
        OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())
    time.sleep(portal.delay)  # the timed-out requests have now been acted upon too

    assert outcomes == ["pending", "pending", "pending", "pending", "sent"]
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 5
    assert [r.key for r in portal.received] == [message.key] * 5
    assert list(portal.state.statuses) == [message.key]


def test_the_client_retries_a_keyed_push_itself(world, portal, settings):
    settings.MOTCUA_NATIONAL_PORTAL_RETRIES = 4
    new_dossier(world)
    (message,) = _status_messages()
    portal.fail("error", "timeout", "error")

    assert delivery.deliver(message.pk) == "sent"
    time.sleep(portal.delay)
    assert len(portal.received) == 4
    assert list(portal.state.statuses) == [message.key]


def test_a_rejection_is_a_dead_letter_at_once(world, portal, settings):
    settings.MOTCUA_NATIONAL_PORTAL_RETRIES = 4
    portal.state.refused_procedures.add("1.000001")
    new_dossier(world)
    (message,) = _status_messages()

    assert delivery.deliver(message.pk) == "dead"
    message.refresh_from_db()
    assert message.attempts == 1
    assert "rejected" in message.last_error and "1.000001" in message.last_error
    assert len(portal.received) == 1  # a refusal is not tried again
    assert portal.state.statuses == {}


def test_a_bad_signature_is_refused_and_retried_later(world, portal, settings):
    settings.MOTCUA_NATIONAL_PORTAL_SECRET = "not-the-shared-secret"
    new_dossier(world)
    (message,) = _status_messages()

    assert delivery.deliver(message.pk) == "pending"
    message.refresh_from_db()
    assert "unauthorised" in message.last_error
    assert portal.state.statuses == {}


def test_the_in_process_fake_receives_the_push_by_default(world):
    from motcua.nationalportal.adapters import FakeNationalPortal

    new_dossier(world)
    assert _deliver_status_messages() == ["sent"]
    (record,) = FakeNationalPortal.state.statuses.values()
    assert record["TrangThaiHoSo"] == "1"
