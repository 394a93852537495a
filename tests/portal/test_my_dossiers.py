"""The applicant's own dossiers (SPEC §3 items 4, 6): list, public history, supplement
answered online (the clock resumes, VP 13.3), withdrawal, official sheets, and the e-result
only once the fee is paid (VP 16.1)."""

# The province's `world` fixture is imported; tests take it as an argument.
# ruff: noqa: F811

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from fpdf import FPDF

from motcua.catalogue.models import Fee
from motcua.dossiers import results, services
from motcua.dossiers.models import Status
from motcua.portal import applications
from motcua.vault.models import VaultDocument

from ..dossiers.conftest import new_dossier, received, world  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def citizen(client, world):
    client.force_login(world.citizen)
    return client


def page_of(client, dossier):
    return client.get(reverse("portal:dossier", args=[dossier.public_id]))


def test_the_list_shows_my_dossiers_with_status_and_dates(citizen, world):
    mine = new_dossier(world)
    theirs = new_dossier(world, applicant=world.other_citizen)
    page = citizen.get(reverse("portal:my_dossiers")).content.decode()
    assert mine.code in page and "Đã nộp" in page and "02/03/2026" in page
    assert theirs.code not in page


def test_the_list_reads_a_bounded_number_of_rows(citizen, world, django_assert_max_num_queries):
    for _ in range(5):
        new_dossier(world)
    with django_assert_max_num_queries(8):
        response = citizen.get(reverse("portal:my_dossiers"))
    assert response.content.decode().count("Đã nộp") >= 5


def test_another_applicants_dossier_does_not_exist_for_me(citizen, world):
    theirs = new_dossier(world, applicant=world.other_citizen)
    assert page_of(citizen, theirs).status_code == 404
    url = reverse("portal:dossier_sheet", args=[theirs.public_id, "receipt"])
    assert citizen.get(url).status_code == 404
    assert citizen.get(reverse("portal:receipt", args=[theirs.public_id])).status_code == 404


def test_staff_get_403(client, world):
    dossier = new_dossier(world)
    client.force_login(world.desk_officer)
    assert page_of(client, dossier).status_code == 403
    assert client.get(reverse("portal:my_dossiers")).status_code == 403


def test_the_history_is_public_without_internal_notes(citizen, world):
    dossier = received(world)
    services.forward(dossier, world.specialist, note="Ghi chú nội bộ của chuyên viên")
    response = page_of(citizen, dossier)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Đã nộp" in page and "Đang xử lý" in page
    # Routing between officers and their notes stay inside the administration.
    assert "Ghi chú nội bộ" not in page and "Chuyển bước tiếp theo" not in page
    # The receipt (Mẫu 01) is issued to the applicant.
    url = reverse("portal:dossier_sheet", args=[dossier.public_id, "receipt"])
    assert url in page
    sheet = citizen.get(url)
    assert sheet["Content-Type"] == "application/pdf" and sheet.content.startswith(b"%PDF")
    # No refusal was issued.
    refusal = reverse("portal:dossier_sheet", args=[dossier.public_id, "refusal"])
    assert citizen.get(refusal).status_code == 404


def supplement_requested(w):
    dossier = received(w)
    return services.request_supplement(
        dossier,
        w.specialist,
        items=["Bản sao sổ hộ khẩu"],
        guidance="Bổ sung bản sao có chứng thực",
    )


def test_a_supplement_is_answered_online_and_the_clock_resumes(citizen, world):
    dossier = supplement_requested(world)
    assert dossier.status == Status.AWAITING_SUPPLEMENT and dossier.paused_at is not None
    page = page_of(citizen, dossier).content.decode()
    assert "Bản sao sổ hộ khẩu" in page and "Bổ sung bản sao có chứng thực" in page
    request = dossier.supplement_requests.get()
    sheet = reverse("portal:dossier_sheet", args=[dossier.public_id, "supplement", request.pk])
    assert sheet in page
    assert citizen.get(sheet).content.startswith(b"%PDF")

    component = world.permit.components.get()
    response = citizen.post(
        reverse("portal:dossier_supplement", args=[dossier.public_id]),
        {
            "form_full_name": "Nguyễn Văn An",
            "form_id_number": "027090001234",
            f"component_{component.pk}": SimpleUploadedFile("so-ho-khau.pdf", PDF),
        },
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.paused_at is None and dossier.clock_started_at is not None
    assert dossier.files.get().original_name == "so-ho-khau.pdf"
    assert dossier.supplement_requests.get().answered_at is not None
    assert dossier.events.last().action == "resubmit"


def test_a_wrong_supplement_changes_nothing(citizen, world):
    dossier = supplement_requested(world)
    component = world.permit.components.get()
    response = citizen.post(
        reverse("portal:dossier_supplement", args=[dossier.public_id]),
        {
            "form_full_name": "Nguyễn Văn An",
            "form_id_number": "027090001234",
            f"component_{component.pk}": SimpleUploadedFile("so-ho-khau.pdf", b"not a pdf"),
        },
    )
    assert response.status_code == 400
    assert "không thuộc định dạng được chấp nhận" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_SUPPLEMENT and not dossier.files.exists()


def test_withdrawal_asks_for_confirmation(citizen, world):
    dossier = new_dossier(world)
    url = reverse("portal:dossier_withdraw", args=[dossier.public_id])
    assert url in page_of(citizen, dossier).content.decode()
    confirm = citizen.get(url)
    assert confirm.status_code == 200 and 'method="post"' in confirm.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    response = citizen.post(url, {"reason": "Nộp nhầm thủ tục"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN
    page = page_of(citizen, dossier).content.decode()
    assert "Nộp nhầm thủ tục" in page and url not in page
    assert citizen.get(url).status_code == 404


def a_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Giay khai sinh")
    return bytes(pdf.output())


def result_ready_unpaid(w):
    """A partial-level commune dossier with a fee: the fee is due at the return (BN profile),
    so its result can be ready before it is paid."""
    Fee.objects.create(procedure=w.birth, name="Lệ phí", amount=8_000)
    dossier = received(w, w.birth)
    services.forward(dossier, w.commune_specialist)
    services.forward(dossier, w.police_officer)
    dossier = services.complete(dossier, w.commune_chair)
    results.attach_result(dossier, "giay-khai-sinh.pdf", a_pdf(), by=w.commune_chair, sign=False)
    return dossier


def test_the_result_is_downloaded_only_once_the_fee_is_paid(citizen, world):
    dossier = result_ready_unpaid(world)
    url = reverse("portal:dossier_result", args=[dossier.public_id])
    page = page_of(citizen, dossier).content.decode()
    assert dossier.status == Status.RESULT_READY
    assert url not in page and "sau khi bạn nộp phí" in page
    assert applications.fee_outstanding(dossier)
    assert citizen.get(url).status_code == 404
    assert not VaultDocument.objects.exists()

    services.record_payment(dossier, amount=8_000, reference="NH-001")
    dossier.refresh_from_db()
    assert not applications.fee_outstanding(dossier)
    page = page_of(citizen, dossier).content.decode()
    assert url in page
    response = citizen.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # Delivered to the applicant's vault too (TN 13.7).
    kept = VaultDocument.objects.get(owner=world.citizen)
    assert kept.source == "result" and kept.dossier == dossier


def test_the_pay_button_posts_to_the_payment_page(citizen, world):
    dossier = new_dossier(world)
    pay = reverse("payments:start", args=[dossier.public_id])
    page = page_of(citizen, dossier).content.decode()
    assert f'action="{pay}"' in page
