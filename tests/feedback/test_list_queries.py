"""The public lists cost a fixed number of queries, however many rows they show."""

import pytest
from django.urls import reverse

from motcua.feedback import services
from motcua.feedback.models import Feedback

from .conftest import at


@pytest.fixture
def filled(world):
    for n in range(12):
        feedback = services.submit_feedback(
            user=None,
            agency=world.department if n % 2 else world.commune,
            procedure=world.permit if n % 2 else None,
            kind=Feedback.Kind.RECOMMENDATION,
            subject=f"Kiến nghị {n}",
            content="Nội dung",
            name="Người gửi",
            email="a@example.vn",
            publish_consent=True,
            at=at("2026-03-02T09:00:00+07:00"),
        )
        answerer = world.leader if n % 2 else world.commune_chair
        services.answer_feedback(feedback, answerer, "Đã tiếp thu, cảm ơn.")
        services.create_faq(
            world.monitor,
            field=world.permit.field if n % 2 else world.birth.field,
            question=f"Câu hỏi {n}?",
            answer="Trả lời.",
        )
    return world


@pytest.mark.parametrize("name", ["feedback:feedback_list", "feedback:faq", "feedback:ratings"])
def test_public_lists_have_bounded_queries(client, filled, name, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert client.get(reverse(name)).status_code == 200


def test_staff_list_has_bounded_queries(signed_in, filled, django_assert_max_num_queries):
    for n in range(5):
        services.submit_feedback(
            user=None,
            agency=filled.department,
            kind="reflection",
            subject=f"Mở {n}",
            content="Nội dung",
            name="Người gửi",
            phone="0912345678",
        )
    client = signed_in(filled.monitor)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("feedback:staff_feedback"))
    assert page.content.decode().count("Mở ") == 5
