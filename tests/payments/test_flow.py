"""Paying a dossier's fee online through the gateway, end to end (SPEC §3 item 5; BN 14.4,
VP 15, TN 20.2)."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from motcua.dossiers import services as dossier_services
from motcua.dossiers.errors import RuleViolation
from motcua.dossiers.models import DossierEvent
from motcua.outbox.models import OutboxMessage
from motcua.payments.models import Payment

from .conftest import pay_url, start


def test_urls(dossier):
    assert reverse("payments:start", args=[dossier.public_id]) == pay_url(dossier)
    assert reverse("payments:receipt", args=[dossier.public_id]).startswith(pay_url(dossier))
    assert reverse("payments:return") == "/thanh-toan/ket-qua/"
    assert reverse("payments:callback") == "/thanh-toan/ipn/"
    assert reverse("payments:fake_gateway") == "/thanh-toan/gia-lap/"


def test_the_fees_page_shows_the_fee_in_vietnamese(applicant, dossier):
    html = applicant.get(pay_url(dossier)).content.decode()
    assert "Nộp phí, lệ phí" in html
    assert "Lệ phí" in html and "100.000 đồng" in html
    assert dossier.code in html
    assert 'id="pay"' in html and "Thanh toán trực tuyến 100.000 đồng" in html


def test_happy_path(applicant, dossier, world):
    """Pay on the gateway's page: the signed callback records the fee, the browser comes
    back to the result page, and the receipt is there (TN 20.2)."""
    response = applicant.post(pay_url(dossier))
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert (payment.status, payment.amount, payment.payer) == ("pending", 100_000, world.citizen)
    assert payment.items == [{"name": "Lệ phí", "amount": 100_000}]
    order = dict(parse_qsl(urlsplit(response["Location"]).query))
    assert order["vnp_TxnRef"] == payment.reference
    assert order["vnp_Amount"] == "10000000"  # hundredths of a dong
    assert order["vnp_OrderInfo"].endswith(dossier.code)  # VP 15.5.đ
    assert order["vnp_ReturnUrl"] == "http://testserver/thanh-toan/ket-qua/"
    dossier.refresh_from_db()
    assert dossier.fee_paid_at is None  # starting pays nothing

    page = applicant.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Cổng thanh toán giả lập" in html and "100.000 đồng" in html
    assert payment.reference in html and "MOTCUA01" in html

    back = applicant.post("/thanh-toan/gia-lap/", {**order, "action": "pay"})
    assert back.status_code == 302
    assert urlsplit(back["Location"]).path == "/thanh-toan/ket-qua/"
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert payment.status == "paid" and payment.verified_at is not None
    assert payment.gateway_transaction and payment.callback["vnp_ResponseCode"] == "00"
    assert dossier.fee_paid_at == payment.verified_at
    event = DossierEvent.objects.get(dossier=dossier, action="pay")
    assert event.data == {"amount": 100_000, "reference": payment.reference}
    assert OutboxMessage.objects.filter(key=f"notify:{event.pk}").exists()

    result = applicant.get(back["Location"])
    html = result.content.decode()
    assert 'data-status="paid"' in html
    assert "Thanh toán thành công" in html
    assert reverse("payments:receipt", args=[dossier.public_id]) in html

    fees_page = applicant.get(pay_url(dossier)).content.decode()
    assert 'id="paid"' in fees_page and 'id="pay"' not in fees_page


def test_the_return_page_never_settles_a_payment(applicant, dossier):
    """The browser's copy of the answer is shown, not trusted: only the callback counts."""
    from .conftest import gateway_answer

    order = start(applicant, dossier)
    answer = gateway_answer(order)
    html = applicant.get("/thanh-toan/ket-qua/", answer).content.decode()
    assert 'data-status="pending"' in html
    assert "chưa xác nhận" in html
    assert Payment.objects.get().status == "pending"
    dossier.refresh_from_db()
    assert dossier.fee_paid_at is None


def test_a_forged_return_is_not_shown_as_paid(applicant, dossier):
    from .conftest import gateway_answer

    answer = gateway_answer(start(applicant, dossier))
    answer["vnp_Amount"] = "100"
    page = applicant.get("/thanh-toan/ket-qua/", answer)
    assert page.status_code == 400
    assert 'data-status="rejected"' in page.content.decode()


def test_paying_twice_is_refused(applicant, dossier):
    order = start(applicant, dossier)
    applicant.post("/thanh-toan/gia-lap/", {**order, "action": "pay"})
    response = applicant.post(pay_url(dossier), follow=True)
    assert Payment.objects.count() == 1
    assert "Phí, lệ phí của hồ sơ này đã được nộp." in response.content.decode()


def test_a_fee_paid_at_the_desk_is_not_paid_again(applicant, dossier, world):
    dossier_services.record_payment(dossier, amount=100_000, reference="BL-0001")
    applicant.post(pay_url(dossier))
    assert not Payment.objects.exists()


def test_a_dossier_without_a_fee_has_nothing_to_pay(applicant, world):
    from tests.dossiers.conftest import new_dossier

    free = new_dossier(world, world.birth)
    html = applicant.get(pay_url(free)).content.decode()
    assert 'id="not-payable"' in html and "không phải nộp phí" in html
    applicant.post(pay_url(free))
    assert not Payment.objects.exists()


def test_a_draft_is_not_paid(applicant, world):
    draft = dossier_services.create_draft(
        world.permit, applicant=world.citizen, form_data=dict(world.form)
    )
    applicant.post(pay_url(draft))
    assert not Payment.objects.exists()


def test_another_applicants_dossier_is_not_found(client, dossier, world):
    client.force_login(world.other_citizen)
    assert client.get(pay_url(dossier)).status_code == 404
    assert client.post(pay_url(dossier)).status_code == 404
    assert client.get(reverse("payments:receipt", args=[dossier.public_id])).status_code == 404
    assert not Payment.objects.exists()


def test_another_applicant_cannot_see_the_result_page(applicant, client, dossier, world):
    from .conftest import gateway_answer

    answer = gateway_answer(start(applicant, dossier))
    client.force_login(world.other_citizen)
    assert client.get("/thanh-toan/ket-qua/", answer).status_code == 404


def test_staff_do_not_pay(signed_in, dossier, world):
    staff = signed_in(world.desk_officer)
    assert staff.post(pay_url(dossier)).status_code == 403
    assert not Payment.objects.exists()


def test_sign_in_is_required(client, dossier, settings):
    # The Portal's sign-in page, whatever its owner calls it.
    settings.MOTCUA_PORTAL_SIGN_IN_URL = "/tai-khoan/dang-nhap/"
    response = client.post(pay_url(dossier))
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    assert not Payment.objects.exists()


def test_a_cancelled_payment_leaves_the_gate_closed(applicant, dossier, world, settings):
    """Thai Nguyen receives a dossier with a fee only on the bank's confirmation of payment
    (TN 20.2); a payment the payer cancels confirms nothing."""
    settings.MOTCUA_PROFILE = "thai-nguyen"
    order = start(applicant, dossier)
    back = applicant.post("/thanh-toan/gia-lap/", {**order, "action": "cancel"})
    payment = Payment.objects.get()
    assert payment.status == "cancelled" and payment.callback["vnp_ResponseCode"] == "24"
    html = applicant.get(back["Location"]).content.decode()
    assert 'data-status="cancelled"' in html and "đã bị hủy" in html
    with pytest.raises(RuleViolation) as refused:
        dossier_services.receive(dossier, world.desk_officer)
    assert refused.value.code == "fee_unpaid"

    # Paying afterwards opens it.
    order = start(applicant, dossier)
    applicant.post("/thanh-toan/gia-lap/", {**order, "action": "pay"})
    received = dossier_services.receive(dossier, world.desk_officer)
    assert received.status == "processing"
