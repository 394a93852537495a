"""Questions and answers per field (HG 14.4, TN 5.7): public, searchable, kept by staff with
every change recorded."""

import pytest
from django.urls import reverse

from motcua.accounts.models import Role, User
from motcua.feedback import services
from motcua.feedback.models import FaqChange, FaqEntry


@pytest.fixture
def auditor(world):
    """A police auditor: staff, but not among those who keep the FAQ."""
    return User.objects.create(
        username="congan.pc06", kind=User.Kind.STAFF, role=Role.POLICE_AUDITOR, agency=world.police
    )


@pytest.fixture
def entries(world):
    field = world.permit.field
    other = world.birth.field
    first = services.create_faq(
        world.specialist,
        field=field,
        question="Cấp giấy phép mất bao lâu?",
        answer="Năm ngày làm việc kể từ khi tiếp nhận.",
    )
    second = services.create_faq(
        world.monitor,
        field=other,
        question="Khai sinh cần giấy tờ gì?",
        answer="Giấy chứng sinh.",
    )
    return first, second


def test_public_list_grouped_by_field_and_searchable(client, world, entries):
    first, second = entries
    text = client.get(reverse("feedback:faq")).content.decode()
    assert "Hỏi đáp" in text
    assert first.field.name in text and second.field.name in text
    assert first.question in text and second.question in text

    # Accent-insensitive search.
    found = client.get(reverse("feedback:faq"), {"q": "giay phep"}).content.decode()
    assert first.question in found and second.question not in found
    by_field = client.get(reverse("feedback:faq"), {"field": second.field.pk}).content.decode()
    assert second.question in by_field and first.question not in by_field


def test_unpublishing_is_soft_and_audited(client, world, entries):
    first, _second = entries
    services.set_faq_published(world.leader, first, False)
    first.refresh_from_db()
    assert not first.is_published and first.updated_by == world.leader
    assert first.question not in client.get(reverse("feedback:faq")).content.decode()
    assert FaqEntry.objects.filter(pk=first.pk).exists()
    actions = list(first.changes.values_list("action", "by__username"))
    assert actions == [("created", "chuyenvien"), ("unpublished", "giamdoc")]


def test_edit_records_who_and_what(world, entries):
    first, _second = entries
    services.edit_faq(
        world.unit_leader, first, field=first.field, question=first.question, answer="Bảy ngày."
    )
    change = first.changes.order_by("-id").first()
    assert change.action == "edited" and change.by == world.unit_leader
    assert change.snapshot["answer"] == "Bảy ngày."


def test_only_faq_editors_change_entries(world, entries, auditor):
    first, _second = entries
    for user in (world.citizen, auditor):
        with pytest.raises(services.Forbidden):
            services.edit_faq(user, first, field=first.field, question="?", answer="!")
        with pytest.raises(services.Forbidden):
            services.set_faq_published(user, first, False)
    with pytest.raises(services.FeedbackError):
        services.edit_faq(world.specialist, first, field=first.field, question="", answer="x")
    first.refresh_from_db()
    assert first.is_published and first.question == "Cấp giấy phép mất bao lâu?"
    assert FaqChange.objects.filter(entry=first).count() == 1


def test_staff_pages(signed_in, world, entries):
    first, _second = entries
    client = signed_in(world.specialist)
    page = client.get(reverse("feedback:staff_faq"))
    assert page.status_code == 200 and first.question in page.content.decode()
    assert client.post(reverse("feedback:staff_faq"), {"field": first.field.pk}).status_code == 400
    assert FaqEntry.objects.count() == 2
    response = client.post(
        reverse("feedback:staff_faq"),
        {"field": first.field.pk, "question": "Nộp ở đâu?", "answer": "Trung tâm PVHCC."},
    )
    assert response.status_code == 302 and FaqEntry.objects.count() == 3

    edit = reverse("feedback:staff_faq_edit", args=[first.pk])
    assert client.post(edit, {"publish": "0"}).status_code == 302
    first.refresh_from_db()
    assert not first.is_published
    page = client.get(edit).content.decode()
    assert "Đã ẩn" in page or "Ngừng công khai" in page


def test_citizens_and_police_cannot_reach_staff_pages(client, signed_in, world, entries, auditor):
    first, _second = entries
    client.force_login(world.citizen)
    assert client.get(reverse("feedback:staff_faq")).status_code == 403
    police = signed_in(auditor)
    edit = reverse("feedback:staff_faq_edit", args=[first.pk])
    assert police.get(reverse("feedback:staff_faq")).status_code == 403
    assert police.post(edit, {"publish": "0"}).status_code == 403
    first.refresh_from_db()
    assert first.is_published
