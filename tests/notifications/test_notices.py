"""Notices to applicants (SPEC §3 item 9): the engine's outbox message becomes an e-mail, an
SMS and a Zalo message, in Vietnamese, once per channel even when a delivery is retried."""

import pytest
from django.core import mail
from django.utils import timezone

from motcua.notifications import sms, zalo
from motcua.notifications.models import Notification
from motcua.notifications.texts import unaccented
from motcua.outbox.delivery import deliver_pending
from motcua.outbox.models import OutboxMessage
from tests.dossiers.conftest import at, received

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_channels():
    sms.outbox.clear()
    zalo.SENT.clear()


@pytest.fixture
def reachable(world):
    world.citizen.email = "an@example.vn"
    world.citizen.phone = "0912345678"
    world.citizen.save()
    return world


def _due_now():
    OutboxMessage.objects.update(available_at=timezone.now())


def test_reception_tells_the_appointment_and_the_fee_on_every_channel(reachable):
    dossier = received(reachable)
    OutboxMessage.objects.filter(topic="notify.applicant").exclude(
        payload__action="receive"
    ).update(status=OutboxMessage.Status.SENT)
    deliver_pending()

    (email,) = mail.outbox
    assert email.to == ["an@example.vn"]
    assert f"Hồ sơ {dossier.code} đã được tiếp nhận" in email.body
    assert "Hẹn trả kết quả:" in email.body and "100.000 đồng" in email.body
    (text,) = sms.outbox
    assert text.phone == "0912345678"
    assert f"Ho so {dossier.code} da duoc tiep nhan" in text.text
    ((phone, zalo_text, key),) = zalo.SENT
    assert key.endswith(":zalo")
    assert phone == "0912345678" and "đã được tiếp nhận" in zalo_text
    assert set(Notification.objects.values_list("channel", flat=True)) == {"email", "sms", "zalo"}


def test_the_appointment_is_the_one_at_the_time_of_the_event(reachable):
    from datetime import timedelta

    from motcua.documents.formatting import moment

    dossier = received(reachable)
    promised = dossier.due_at
    type(dossier).objects.filter(pk=dossier.pk).update(due_at=promised + timedelta(days=3))
    deliver_pending()
    (receipt,) = [m for m in mail.outbox if "đã được tiếp nhận" in m.body]
    assert moment(promised) in receipt.body


def test_a_retry_after_one_channel_failed_sends_only_that_channel(reachable, monkeypatch):
    received(reachable)

    def down(message):
        raise sms.SmsUnavailable("unreachable")

    monkeypatch.setattr(sms.MemorySmsBackend, "send", lambda self, m: down(m))
    deliver_pending()
    receive = OutboxMessage.objects.get(topic="notify.applicant", payload__action="receive")
    assert receive.status == OutboxMessage.Status.PENDING and "sms" in receive.last_error
    emails = len(mail.outbox)
    assert emails >= 1 and sms.outbox == []

    monkeypatch.undo()
    _due_now()
    deliver_pending()
    receive.refresh_from_db()
    assert receive.status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == emails, "the e-mail is not sent twice"
    assert any("tiep nhan" in m.text for m in sms.outbox)


def test_an_applicant_without_contacts_gets_nothing_and_nothing_fails(world):
    received(world)
    outcomes = deliver_pending()
    assert outcomes["sent"] >= 1 and not outcomes.get("pending")
    assert mail.outbox == [] and sms.outbox == [] and not Notification.objects.exists()


def test_channels_follow_the_setting(reachable, settings):
    settings.MOTCUA_NOTIFY_CHANNELS = ["email"]
    received(reachable)
    deliver_pending()
    assert mail.outbox and sms.outbox == [] and zalo.SENT == []


def test_staff_only_steps_tell_the_applicant_nothing(reachable):
    from motcua.dossiers import services

    dossier = received(reachable)
    services.claim(dossier, reachable.specialist, at=at("2026-03-02T10:00:00+07:00"))
    assert not OutboxMessage.objects.filter(
        topic="notify.applicant", payload__action="claim"
    ).exists()


def test_sms_text_has_no_diacritics():
    assert unaccented("Hồ sơ đã được tiếp nhận. Đến hạn") == "Ho so da duoc tiep nhan. Den han"


def test_the_sender_of_an_answered_feedback_is_told(world):
    from motcua.feedback import services as feedback
    from motcua.feedback.models import Feedback

    sent = feedback.submit_feedback(
        user=None,
        agency=world.department,
        kind=Feedback.Kind.values[0],
        subject="Thời gian cấp phép",
        content="Đề nghị rút ngắn thời gian cấp giấy phép xây dựng.",
        name="Nguyễn Văn An",
        phone="0912345678",
        email="an@example.vn",
    )
    feedback.answer_feedback(sent, world.leader, "Sở đã rút ngắn thời gian xuống 5 ngày.")
    deliver_pending()
    (email,) = mail.outbox
    assert email.to == ["an@example.vn"] and sent.tracking_code in email.body
    assert f"ma {sent.tracking_code} da duoc tra loi" in sms.outbox[0].text


def test_the_fee_paid_notice_writes_the_amount_the_vietnamese_way(reachable):
    from motcua.dossiers import services

    dossier = received(reachable)
    services.record_payment(dossier, amount=100_000, reference="BL-1")
    OutboxMessage.objects.exclude(payload__action="pay").update(status=OutboxMessage.Status.SENT)
    deliver_pending()
    (email,) = mail.outbox
    assert email.body.endswith("đã nhận phí, lệ phí 100.000 đồng.")
