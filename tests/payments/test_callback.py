"""The gateway's server-to-server callback (IPN): only a verified confirmation of the right
payment, amount and dossier records the fee (TN 20.2); anything else changes nothing, is
answered with the gateway's error code and logged."""

import logging

import pytest

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.payments.gateways import FakeGateway, signed
from motcua.payments.models import Payment
from tests.dossiers.conftest import new_dossier

from .conftest import gateway_answer, start

IPN = "/thanh-toan/ipn/"


def nothing_changed(dossier: Dossier) -> bool:
    dossier.refresh_from_db()
    return (
        dossier.fee_paid_at is None
        and not DossierEvent.objects.filter(action="pay").exists()
        and not Payment.objects.exclude(status="pending").exists()
    )


@pytest.fixture
def order(applicant, dossier):
    return start(applicant, dossier)


def test_a_verified_confirmation_records_the_fee(client, dossier, order):
    response = client.get(IPN, gateway_answer(order))
    assert response.json() == {"RspCode": "00", "Message": "Confirm Success"}
    dossier.refresh_from_db()
    assert dossier.fee_paid_at is not None
    assert Payment.objects.get().status == "paid"


def test_the_callback_is_accepted_by_post_too(client, dossier, order):
    assert client.post(IPN, gateway_answer(order)).json()["RspCode"] == "00"
    dossier.refresh_from_db()
    assert dossier.fee_paid_at is not None


def test_a_forged_signature_changes_nothing(client, dossier, order, caplog):
    answer = gateway_answer(order)
    answer["vnp_SecureHash"] = signed(answer, "not-the-secret")["vnp_SecureHash"]
    with caplog.at_level(logging.WARNING, logger="motcua.payments"):
        response = client.get(IPN, answer)
    assert response.json() == {"RspCode": "97", "Message": "Invalid signature"}
    assert nothing_changed(dossier)
    assert "bad_signature" in caplog.text and order["vnp_TxnRef"] in caplog.text


def test_a_tampered_parameter_breaks_the_signature(client, dossier, order):
    answer = gateway_answer(order, pay=False)
    answer["vnp_ResponseCode"] = "00"
    answer["vnp_TransactionStatus"] = "00"
    assert client.get(IPN, answer).json()["RspCode"] == "97"
    assert nothing_changed(dossier)


def test_a_missing_signature_changes_nothing(client, dossier, order):
    answer = gateway_answer(order)
    del answer["vnp_SecureHash"]
    assert client.get(IPN, answer).json()["RspCode"] == "97"
    assert nothing_changed(dossier)


def resigned(answer: dict, **changes) -> dict:
    """The gateway's answer changed and signed with the true secret: what a leaked or
    misbehaving gateway could send."""
    fields = {k: v for k, v in answer.items() if k != "vnp_SecureHash"}
    return signed({**fields, **changes}, FakeGateway().secret)


def test_a_wrong_amount_changes_nothing(client, dossier, order, caplog):
    answer = resigned(gateway_answer(order), vnp_Amount="1000000")  # 10 000 đồng
    with caplog.at_level(logging.WARNING, logger="motcua.payments"):
        response = client.get(IPN, answer)
    assert response.json() == {"RspCode": "04", "Message": "Invalid amount"}
    assert nothing_changed(dossier)
    assert "amount_mismatch" in caplog.text


def test_an_unknown_reference_changes_nothing(client, dossier, order):
    answer = resigned(gateway_answer(order), vnp_TxnRef="MC000000000000DEADBEEF")
    assert client.get(IPN, answer).json() == {"RspCode": "01", "Message": "Order not found"}
    assert nothing_changed(dossier)


def test_a_confirmation_naming_another_dossier_changes_nothing(client, dossier, order, world):
    """The payment carries its dossier's code exactly (VP 15.5.đ)."""
    other = new_dossier(world, submitted="2026-03-02T09:30:00+07:00")
    answer = resigned(
        gateway_answer(order), vnp_OrderInfo=f"Thanh toan phi le phi ho so {other.code}"
    )
    assert client.get(IPN, answer).json()["RspCode"] == "01"
    assert nothing_changed(dossier)
    other.refresh_from_db()
    assert other.fee_paid_at is None


def test_another_merchants_answer_changes_nothing(client, dossier, order):
    answer = resigned(gateway_answer(order), vnp_TmnCode="OTHER001")
    assert client.get(IPN, answer).json()["RspCode"] == "99"
    assert nothing_changed(dossier)


def test_a_replayed_callback_changes_nothing_and_is_answered_alike(client, dossier, order):
    answer = gateway_answer(order)
    first = client.get(IPN, answer).json()
    dossier.refresh_from_db()
    paid_at = dossier.fee_paid_at
    payment = Payment.objects.get()
    for _ in range(2):
        assert (
            client.get(IPN, answer).json()
            == first
            == {
                "RspCode": "00",
                "Message": "Confirm Success",
            }
        )
    dossier.refresh_from_db()
    assert dossier.fee_paid_at == paid_at
    assert DossierEvent.objects.filter(action="pay").count() == 1
    again = Payment.objects.get()
    assert (again.verified_at, again.gateway_transaction) == (
        payment.verified_at,
        payment.gateway_transaction,
    )


def test_a_replayed_cancellation_is_answered_alike(client, dossier, order):
    answer = gateway_answer(order, pay=False)
    assert client.get(IPN, answer).json()["RspCode"] == "00"
    assert client.get(IPN, answer).json()["RspCode"] == "00"
    assert Payment.objects.get().status == "cancelled"
    assert nothing_changed_but_cancelled(dossier)


def nothing_changed_but_cancelled(dossier) -> bool:
    dossier.refresh_from_db()
    return dossier.fee_paid_at is None and not DossierEvent.objects.filter(action="pay").exists()


def test_a_different_answer_for_a_settled_payment_is_refused(client, dossier, order):
    """Cancelled, then "paid": the first signed answer stands."""
    client.get(IPN, gateway_answer(order, pay=False))
    response = client.get(IPN, gateway_answer(order, pay=True))
    assert response.json() == {"RspCode": "02", "Message": "Order already confirmed"}
    assert Payment.objects.get().status == "cancelled"
    assert nothing_changed_but_cancelled(dossier)


def test_a_second_successful_payment_is_not_the_fee(applicant, client, dossier, caplog):
    """Two attempts both paid at the gateway: the first records the fee, the second is
    refused and logged for a refund; the dossier has one paid payment."""
    first, second = start(applicant, dossier), start(applicant, dossier)
    assert client.get(IPN, gateway_answer(first)).json()["RspCode"] == "00"
    with caplog.at_level(logging.ERROR, logger="motcua.payments"):
        response = client.get(IPN, gateway_answer(second))
    assert response.json()["RspCode"] == "02"
    assert "refunded" in caplog.text
    statuses = dict(Payment.objects.values_list("reference", "status"))
    assert statuses == {first["vnp_TxnRef"]: "paid", second["vnp_TxnRef"]: "cancelled"}
    assert DossierEvent.objects.filter(action="pay").count() == 1


def test_a_failed_payment_leaves_the_fee_unpaid(client, dossier, order):
    answer = resigned(
        gateway_answer(order, pay=False), vnp_ResponseCode="51", vnp_TransactionStatus="02"
    )
    assert client.get(IPN, answer).json()["RspCode"] == "00"
    assert Payment.objects.get().status == "failed"
    assert nothing_changed_but_cancelled(dossier)


def test_the_fake_gateway_refuses_an_unsigned_order(client, order):
    forged = {**order, "vnp_Amount": "100"}
    page = client.get("/thanh-toan/gia-lap/", forged)
    assert page.status_code == 400
    assert client.post("/thanh-toan/gia-lap/", {**forged, "action": "pay"}).status_code == 400
    assert Payment.objects.get().status == "pending"


def test_the_fake_gateway_is_absent_with_a_real_one(client, settings, order):
    settings.MOTCUA_PAYMENT_GATEWAY = "vnpay"
    settings.MOTCUA_PAYMENT_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    settings.MOTCUA_PAYMENT_SECRET = "secret"
    assert client.get("/thanh-toan/gia-lap/", order).status_code == 404
