"""The receipt of the fee paid online: Vietnamese, with the dossier code and the QR of its
lookup page; for the applicant and the agency's staff only (VP 15.5, TN 20.2)."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from motcua.payments.receipts import amount_in_words, receipt_pdf

from .conftest import gateway_answer, start


@pytest.fixture
def paid(applicant, dossier):
    order = start(applicant, dossier)
    applicant.post("/thanh-toan/gia-lap/", {**order, "action": "pay"})
    dossier.refresh_from_db()
    return dossier


def text(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def receipt_url(dossier):
    return reverse("payments:receipt", args=[dossier.public_id])


def test_the_applicant_downloads_the_receipt(applicant, paid):
    response = applicant.get(receipt_url(paid))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"bien-lai-{paid.code}.pdf" in response["Content-Disposition"]
    payment = paid.payments.get()
    content = text(response.content)
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in content
    assert f"Mã hồ sơ: {paid.code}" in content
    assert "Nguyễn Văn An" in content
    assert "Lệ phí" in content and "100.000 đồng" in content
    assert "Một trăm nghìn đồng" in content
    assert payment.reference in content and payment.gateway_transaction in content
    assert "Cổng thanh toán giả lập" in content
    assert f"http://testserver/tra-cuu/{paid.code}" in content  # printed and in the QR
    reader = PdfReader(BytesIO(response.content))
    assert reader.pages[0].images  # the QR code


def test_staff_of_the_agency_download_it(signed_in, paid, world):
    assert signed_in(world.desk_officer).get(receipt_url(paid)).status_code == 200


def test_staff_of_another_agency_do_not(signed_in, paid, world):
    assert signed_in(world.commune_officer).get(receipt_url(paid)).status_code == 404


def test_staff_need_their_second_factor(client, paid, world):
    client.force_login(world.desk_officer)
    response = client.get(receipt_url(paid))
    assert response.status_code == 302 and "pdf" not in response["Content-Type"]


def test_another_applicant_does_not(client, paid, world):
    client.force_login(world.other_citizen)
    assert client.get(receipt_url(paid)).status_code == 404


def test_no_receipt_before_payment(applicant, dossier):
    start(applicant, dossier)
    assert applicant.get(receipt_url(dossier)).status_code == 404


def test_no_receipt_for_a_cancelled_payment(applicant, client, dossier):
    order = start(applicant, dossier)
    client.get("/thanh-toan/ipn/", gateway_answer(order, pay=False))
    assert applicant.get(receipt_url(dossier)).status_code == 404
    with pytest.raises(ValueError):
        receipt_pdf(dossier.payments.get())


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (5_000, "Năm nghìn đồng"),
        (15_000, "Mười lăm nghìn đồng"),
        (21_000, "Hai mươi mốt nghìn đồng"),
        (100_000, "Một trăm nghìn đồng"),
        (105_000, "Một trăm linh năm nghìn đồng"),
        (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (2_000_000_000, "Hai tỷ đồng"),
        (3_500_100_000, "Ba tỷ năm trăm triệu một trăm nghìn đồng"),
    ],
)
def test_amounts_in_words(amount, words):
    assert amount_in_words(amount) == words
