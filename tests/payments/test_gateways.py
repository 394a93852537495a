"""The adapter: the signed query-string protocol of Vietnamese payment gateways, the
registry, and the production client's configuration."""

import hashlib
import hmac
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from motcua.payments import gateways
from motcua.payments.gateways import (
    FakeGateway,
    PaymentRejected,
    VnpayGateway,
    canonical_query,
    get_gateway,
    sign,
    signed,
)

SANDBOX = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
API = "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction"


def vnpay(**options) -> VnpayGateway:
    return VnpayGateway(url=SANDBOX, merchant="MC000001", secret="bi-mat", api_url=API, **options)


def test_the_signature_is_hmac_sha512_over_the_sorted_encoded_query():
    params = {
        "vnp_TxnRef": "MC1",
        "vnp_Amount": "10000000",
        "vnp_OrderInfo": "Thanh toan phi",
        "vnp_Empty": "",
        "other": "ignored",
        "vnp_SecureHashType": "HmacSHA512",
    }
    text = "vnp_Amount=10000000&vnp_OrderInfo=Thanh+toan+phi&vnp_TxnRef=MC1"
    assert canonical_query(params) == text
    expected = hmac.new(b"bi-mat", text.encode(), hashlib.sha512).hexdigest()
    assert sign(params, "bi-mat") == expected
    assert gateways.signature_valid(signed(params, "bi-mat"), "bi-mat")
    upper = {**params, "vnp_SecureHash": expected.upper()}
    assert gateways.signature_valid(upper, "bi-mat")
    assert not gateways.signature_valid(signed(params, "bi-mat"), "khac")


def test_the_configured_gateway(settings):
    settings.MOTCUA_PAYMENT_GATEWAY = "fake"
    assert isinstance(get_gateway(), FakeGateway)
    assert {"fake", "vnpay"} <= set(gateways.register)
    settings.MOTCUA_PAYMENT_GATEWAY = "paypal"
    with pytest.raises(ImproperlyConfigured):
        get_gateway()


def test_the_production_client_needs_its_settings(settings):
    settings.MOTCUA_PAYMENT_URL = SANDBOX
    settings.MOTCUA_PAYMENT_API_URL = API
    settings.MOTCUA_PAYMENT_MERCHANT = ""
    settings.MOTCUA_PAYMENT_SECRET = "secret"
    with pytest.raises(ImproperlyConfigured):
        VnpayGateway()
    settings.MOTCUA_PAYMENT_MERCHANT = "MC000001"
    settings.MOTCUA_PAYMENT_URL = "http://insecure.example/pay"
    with pytest.raises(ImproperlyConfigured):
        VnpayGateway()
    settings.MOTCUA_PAYMENT_URL = SANDBOX
    assert VnpayGateway().merchant == "MC000001"


def payment():
    created = timezone.now()
    return SimpleNamespace(
        amount=150_000,
        reference="MC260302090000ABCD1234",
        created_at=created,
        dossier=SimpleNamespace(code="000.00.15.H06-260302-0001"),
    )


def test_the_production_client_sends_a_signed_order():
    gateway = vnpay()
    url = gateway.start(payment(), "https://dichvucong.example.vn/thanh-toan/ket-qua/")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == SANDBOX
    params = dict(parse_qsl(parts.query))
    assert params["vnp_Amount"] == "15000000"
    assert params["vnp_TmnCode"] == "MC000001" and params["vnp_Command"] == "pay"
    assert params["vnp_CurrCode"] == "VND" and params["vnp_Version"] == "2.1.0"
    assert params["vnp_OrderInfo"] == "Thanh toan phi le phi ho so 000.00.15.H06-260302-0001"
    assert params["vnp_CreateDate"] < params["vnp_ExpireDate"]
    assert gateways.signature_valid(params, "bi-mat")


def answer(**changes):
    params = {
        "vnp_TmnCode": "MC000001",
        "vnp_Amount": "15000000",
        "vnp_BankCode": "NCB",
        "vnp_OrderInfo": "Thanh toan phi le phi ho so 000.00.15.H06-260302-0001",
        "vnp_PayDate": "20260302091500",
        "vnp_TxnRef": "MC260302090000ABCD1234",
        "vnp_TransactionNo": "14226112",
        "vnp_ResponseCode": "00",
        "vnp_TransactionStatus": "00",
        **changes,
    }
    return signed(params, "bi-mat")


def test_the_production_client_verifies_the_answer():
    gateway = vnpay()
    result = gateway.verify(answer())
    assert (result.reference, result.amount, result.transaction) == (
        "MC260302090000ABCD1234",
        150_000,
        "14226112",
    )
    assert result.dossier_code == "000.00.15.H06-260302-0001"
    assert result.outcome == gateways.PAID
    assert gateway.verify(answer(vnp_ResponseCode="24")).outcome == gateways.CANCELLED
    failed = answer(vnp_ResponseCode="00", vnp_TransactionStatus="02")
    assert gateway.verify(failed).outcome == gateways.FAILED


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({**answer(), "vnp_Amount": "1"}, "bad_signature"),
        (answer(vnp_Amount="150"), "malformed"),  # not whole dong
        (answer(vnp_Amount="abc"), "malformed"),
        (answer(vnp_TmnCode="OTHER"), "malformed"),
        (answer(vnp_OrderInfo="Something else"), "malformed"),
    ],
)
def test_the_production_client_refuses_what_it_cannot_trust(params, reason):
    gateway = vnpay()
    with pytest.raises(PaymentRejected) as rejected:
        gateway.verify(params)
    assert rejected.value.reason == reason


def test_the_answers_to_the_gateway():
    gateway = vnpay()
    assert gateway.answer("confirmed") == {"RspCode": "00", "Message": "Confirm Success"}
    assert gateway.answer("bad_signature")["RspCode"] == "97"
    assert gateway.answer("amount_mismatch")["RspCode"] == "04"
    assert gateway.answer("unknown_reference")["RspCode"] == "01"
    assert gateway.answer("already_confirmed")["RspCode"] == "02"
    assert gateway.answer("malformed")["RspCode"] == "99"


def test_the_fake_secret_is_the_installations_own(settings):
    first = FakeGateway().secret
    settings.SECRET_KEY = "another-installation"
    assert FakeGateway().secret != first


def test_the_fake_returns_only_to_the_system_itself():
    assert FakeGateway.return_url({"vnp_ReturnUrl": "http://x.vn/thanh-toan/ket-qua/"}) == (
        "/thanh-toan/ket-qua/"
    )
    with pytest.raises(PaymentRejected):
        FakeGateway.return_url({"vnp_ReturnUrl": "javascript:alert(1)"})
