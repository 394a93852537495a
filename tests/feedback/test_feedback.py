"""Feedback (PAKN): reception with a tracking code and a deadline on the working calendar
(BN 17.2: 10 working days), answering by the concerned agency, publication (BN 6.4)."""

import dataclasses
from decimal import Decimal

import pytest
from django.urls import reverse

from motcua.calendar.models import CalendarOverride
from motcua.feedback import services
from motcua.feedback.models import Feedback
from motcua.outbox.models import OutboxMessage
from motcua.profiles import load_profile
from motcua.profiles.loader import FeedbackRules, Period

from .conftest import at


def _submit(world, **kwargs):
    values = {
        "user": None,
        "agency": world.department,
        "kind": Feedback.Kind.REFLECTION,
        "subject": "Hẹn trả kết quả chậm",
        "content": "Hồ sơ của tôi bị hẹn lại nhiều lần.",
        "name": "Trần Thị Bình",
        "phone": "0912345678",
        "at": at("2026-03-06T10:00:00+07:00"),  # a Friday
    }
    values.update(kwargs)
    return services.submit_feedback(**values)


def test_deadline_is_ten_working_days_across_weekends(world):
    feedback = _submit(world)
    # Friday 6 March 10:00 + 10 working days: two weekends skipped → Friday 20 March 10:00.
    assert feedback.answer_due_at == at("2026-03-20T10:00:00+07:00")
    assert feedback.tracking_code.startswith("PA-") and feedback.status == "open"


def test_deadline_skips_national_holidays(world):
    # Friday 24 April 2026: Hùng Kings' day (observed Mon 27), 30 April and 1 May are off.
    feedback = _submit(world, at=at("2026-04-24T09:00:00+07:00"))
    assert feedback.answer_due_at == at("2026-05-13T09:00:00+07:00")


def test_deadline_skips_province_days_off(world):
    CalendarOverride.objects.create(day="2026-03-10", kind="day_off", reason="Lễ hội")
    feedback = _submit(world)
    assert feedback.answer_due_at == at("2026-03-23T10:00:00+07:00")


def test_feedback_outside_working_hours_counts_from_next_session(world):
    feedback = _submit(world, at=at("2026-03-07T10:00:00+07:00"))  # Saturday
    assert feedback.answer_due_at == at("2026-03-20T17:00:00+07:00")


def test_deadline_follows_the_active_profile(world, monkeypatch):
    five_days = Period(Decimal(5), "working_days", "test")
    profile = dataclasses.replace(
        load_profile("hau-giang"), feedback=FeedbackRules(answer_within=five_days)
    )
    monkeypatch.setattr(services, "active_profile", lambda: profile)
    assert _submit(world).answer_due_at == at("2026-03-13T10:00:00+07:00")


def test_anonymous_sender_gives_name_and_contact(world):
    for kwargs, field in (
        ({"name": ""}, "name"),
        ({"phone": "", "email": ""}, "phone"),
        ({"subject": "  "}, "subject"),
        ({"content": ""}, "content"),
        ({"kind": "complaint"}, "kind"),
        ({"procedure": world.birth}, "procedure"),  # a commune procedure, not the department's
    ):
        with pytest.raises(services.FeedbackError) as error:
            _submit(world, **kwargs)
        assert error.value.field == field
    assert not Feedback.objects.exists()
    assert _submit(world, phone="", email="binh@example.vn").email == "binh@example.vn"


def test_signed_in_sender_is_answered_through_the_account(world):
    world.citizen.full_name = "Nguyễn Văn An"
    world.citizen.phone = "0987654321"
    world.citizen.save()
    feedback = _submit(world, user=world.citizen, name="", phone="", procedure=world.permit)
    assert (feedback.submitter, feedback.name, feedback.phone) == (
        world.citizen,
        "Nguyễn Văn An",
        "0987654321",
    )


def test_public_form_gives_a_tracking_code_and_lookup_finds_it(client, world):
    url = reverse("feedback:feedback_new")
    page = client.get(url)
    assert page.status_code == 200 and "Gửi phản ánh, kiến nghị" in page.content.decode()
    data = {
        "kind": "recommendation",
        "agency": world.department.pk,
        "subject": "Bổ sung hướng dẫn",
        "content": "Nên có hướng dẫn điền tờ khai.",
        "name": "Lê Văn Cường",
        "email": "cuong@example.vn",
        "publish_consent": "on",
    }
    bad = client.post(url, {**data, "email": ""})
    assert bad.status_code == 400 and not Feedback.objects.exists()
    assert "số điện thoại hoặc địa chỉ thư điện tử" in bad.content.decode()

    sent = client.post(url, data)
    assert sent.status_code == 200
    feedback = Feedback.objects.get()
    assert feedback.tracking_code in sent.content.decode()
    assert feedback.publish_consent

    lookup = client.get(reverse("feedback:feedback_lookup"), {"code": feedback.tracking_code})
    text = lookup.content.decode()
    assert lookup.status_code == 200 and "Chờ trả lời" in text
    assert "Lê Văn Cường" not in text and "cuong@example.vn" not in text
    lower = client.get(
        reverse("feedback:feedback_lookup"), {"code": feedback.tracking_code.lower()}
    )
    assert lower.status_code == 200
    missing = client.get(reverse("feedback:feedback_lookup"), {"code": "PA-NOTHING"})
    assert missing.status_code == 404 and "Không có phản ánh" in missing.content.decode()


def test_agency_staff_answer_and_the_sender_is_notified(world):
    feedback = _submit(world, publish_consent=True)
    answered = services.answer_feedback(feedback, world.clerk, "Sở đã chấn chỉnh bộ phận.")
    assert answered.status == "answered" and answered.answered_by == world.clerk
    message = OutboxMessage.objects.get(topic="notify.feedback_answered")
    assert message.key == f"feedback-answered:{feedback.pk}"
    assert message.payload["tracking_code"] == feedback.tracking_code
    with pytest.raises(services.FeedbackError) as error:
        services.answer_feedback(feedback, world.leader, "Trả lời lần hai cho chắc.")
    assert error.value.code == "answered"


def test_other_agency_staff_cannot_answer(world):
    feedback = _submit(world)
    for officer in (world.commune_officer, world.police_officer):
        with pytest.raises(services.Forbidden):
            services.answer_feedback(feedback, officer, "Không phải việc của tôi.")
        assert feedback not in services.open_feedback(officer)
    with pytest.raises(services.FeedbackError):
        services.answer_feedback(feedback, world.leader, "ngắn")
    feedback.refresh_from_db()
    assert feedback.status == "open" and feedback.answer == ""
    assert not OutboxMessage.objects.filter(topic="notify.feedback_answered").exists()
    # The province monitor follows and may answer everything.
    assert feedback in services.open_feedback(world.monitor)


def test_staff_list_orders_by_deadline_and_marks_overdue(signed_in, world):
    late = _submit(world, subject="Cũ", at=at("2026-01-05T09:00:00+07:00"))
    soon = _submit(world, subject="Mới", at=at("2099-01-05T09:00:00+07:00"))
    _submit(world, subject="Xã", agency=world.commune)
    client = signed_in(world.leader)
    page = client.get(reverse("feedback:staff_feedback"))
    text = page.content.decode()
    assert page.status_code == 200
    assert text.index(late.tracking_code) < text.index(soon.tracking_code)
    assert "Xã" not in text
    assert text.count("— Quá hạn") == 1  # the first one only


def test_staff_answer_page_scope(signed_in, world):
    feedback = _submit(world, publish_consent=True)
    url = reverse("feedback:staff_feedback_answer", args=[feedback.tracking_code])
    outsider = signed_in(world.commune_officer)
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"answer": "Không phải việc của tôi."}).status_code == 404
    feedback.refresh_from_db()
    assert feedback.status == "open"

    client = signed_in(world.clerk)
    assert client.post(url, {"answer": ""}).status_code == 400
    response = client.post(url, {"answer": "Sở đã chấn chỉnh bộ phận một cửa."})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == "answered"


def test_citizen_cannot_open_staff_pages(client, world):
    client.force_login(world.citizen)
    assert client.get(reverse("feedback:staff_feedback")).status_code == 403


def test_public_list_shows_only_published_answers_without_personal_data(client, world):
    published = _submit(world, subject="Công khai được", publish_consent=True)
    private = _submit(world, subject="Không công khai", publish_consent=False)
    _submit(world, subject="Chưa trả lời", publish_consent=True)
    for feedback in (published, private):
        services.answer_feedback(feedback, world.leader, "Cảm ơn ông/bà đã phản ánh.")
    text = client.get(reverse("feedback:feedback_list")).content.decode()
    assert "Công khai được" in text and "Cảm ơn ông/bà đã phản ánh." in text
    assert "Không công khai" not in text and "Chưa trả lời" not in text
    assert "Trần Thị Bình" not in text and "0912345678" not in text
    assert published.tracking_code not in text
    assert list(services.published_feedback()) == [published]
