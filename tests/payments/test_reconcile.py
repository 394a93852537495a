"""Payments whose callback never came: the production client's transaction query and the
reconciliation job (SPEC §3 items 5, 23, 24)."""

import json
import urllib.error
from datetime import timedelta
from io import BytesIO
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.dossiers.models import DossierEvent
from motcua.payments import gateways, services
from motcua.payments.gateways import (
    QUERY_ANSWER_FIELDS,
    QUERY_FIELDS,
    FakeGateway,
    GatewayResult,
    GatewayUnavailable,
    pipe_signature,
)
from motcua.payments.models import Payment

from .conftest import gateway_answer
from .test_gateways import payment as unsaved_payment
from .test_gateways import vnpay

RETURN = "http://testserver/thanh-toan/ket-qua/"


class Answer(BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def gateway_answering(answer: dict | None = None, *, error: Exception | None = None, seen=None):
    """The production client with the network replaced by a canned answer."""
    gateway = vnpay(timeout=3)

    def urlopen(request, timeout):
        body = json.loads(request.data)
        if seen is not None:
            seen.update(body=body, timeout=timeout, url=request.full_url)
        if error is not None:
            raise error
        return Answer(json.dumps(answer).encode())

    gateway.urlopen = urlopen
    return gateway


def query_answer(**changes) -> dict:
    data = {
        "vnp_ResponseId": "4f2d",
        "vnp_Command": "querydr",
        "vnp_ResponseCode": "00",
        "vnp_Message": "QueryDR Success",
        "vnp_TmnCode": "MC000001",
        "vnp_TxnRef": "MC260302090000ABCD1234",
        "vnp_Amount": "15000000",
        "vnp_BankCode": "NCB",
        "vnp_PayDate": "20260302091500",
        "vnp_TransactionNo": "14226112",
        "vnp_TransactionType": "01",
        "vnp_TransactionStatus": "00",
        "vnp_OrderInfo": "Thanh toan phi le phi ho so 000.00.15.H06-260302-0001",
        **changes,
    }
    data["vnp_SecureHash"] = pipe_signature(data, QUERY_ANSWER_FIELDS, "bi-mat")
    return data


def test_the_query_is_signed_and_its_answer_verified():
    seen = {}
    result = gateway_answering(query_answer(), seen=seen).query(unsaved_payment())
    body = seen["body"]
    assert seen["url"].endswith("/merchant_webapi/api/transaction") and seen["timeout"] == 3
    assert body["vnp_Command"] == "querydr" and body["vnp_TxnRef"] == "MC260302090000ABCD1234"
    assert body["vnp_SecureHash"] == pipe_signature(body, QUERY_FIELDS, "bi-mat")
    assert (result.outcome, result.amount, result.transaction) == ("paid", 150_000, "14226112")


def test_a_transaction_the_gateway_does_not_know_is_none():
    answer = query_answer(vnp_ResponseCode="91", vnp_TransactionStatus="")
    assert gateway_answering(answer).query(unsaved_payment()) is None
    incomplete = query_answer(vnp_TransactionStatus="01")
    assert gateway_answering(incomplete).query(unsaved_payment()) is None


@pytest.mark.parametrize(
    ("gateway", "reason"),
    [
        (gateway_answering(error=TimeoutError()), "timeout"),
        (gateway_answering(error=urllib.error.URLError(ConnectionRefusedError())), "unreachable"),
        (
            gateway_answering(error=urllib.error.HTTPError("x", 503, "", {}, None)),
            "peer_error",
        ),
        (gateway_answering({**query_answer(), "vnp_Amount": "1"}), "bad_signature"),
        (gateway_answering(query_answer(vnp_ResponseCode="99")), "rejected"),
        (gateway_answering(query_answer(vnp_TxnRef="MCOTHER")), "bad_response"),
    ],
)
def test_every_query_failure_is_one_exception(gateway, reason):
    with pytest.raises(GatewayUnavailable) as failure:
        gateway.query(unsaved_payment())
    assert failure.value.reason == reason


def started(dossier, world, *, minutes_ago: int) -> tuple[Payment, dict]:
    """An attempt started ``minutes_ago``, and the order its payer was sent with."""
    payment, _url = services.start(dossier, world.citizen, return_url=RETURN)
    Payment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    payment.refresh_from_db()
    url = FakeGateway().start(payment, RETURN)
    return payment, dict(parse_qsl(urlsplit(url).query))


def test_an_attempt_never_completed_is_closed(dossier, world):
    stale, _order = started(dossier, world, minutes_ago=30)
    recent, _order = started(dossier, world, minutes_ago=1)
    assert services.reconcile() == {"expired": 1}
    stale.refresh_from_db()
    recent.refresh_from_db()
    assert (stale.status, recent.status) == ("cancelled", "pending")
    dossier.refresh_from_db()
    assert dossier.fee_paid_at is None


def test_a_late_signed_confirmation_still_settles_a_closed_attempt(client, dossier, world):
    """Closed for want of news, then the gateway's signed word arrives: it counts."""
    stale, order = started(dossier, world, minutes_ago=30)
    services.reconcile()
    assert client.get("/thanh-toan/ipn/", gateway_answer(order)).json()["RspCode"] == "00"
    stale.refresh_from_db()
    dossier.refresh_from_db()
    assert stale.status == "paid" and dossier.fee_paid_at is not None


def test_a_payment_whose_callback_was_lost_is_settled(dossier, world, monkeypatch):
    stale, _order = started(dossier, world, minutes_ago=30)

    def query(self, payment):
        return GatewayResult(
            reference=payment.reference,
            amount=payment.amount,
            dossier_code=payment.dossier.code,
            transaction="14226112",
            outcome=gateways.PAID,
            response_code="00",
            params={"vnp_TransactionNo": "14226112", "vnp_TransactionStatus": "00"},
        )

    monkeypatch.setattr(FakeGateway, "query", query)
    assert services.reconcile() == {"confirmed": 1}
    stale.refresh_from_db()
    dossier.refresh_from_db()
    assert stale.status == "paid" and stale.gateway_transaction == "14226112"
    assert DossierEvent.objects.filter(dossier=dossier, action="pay").count() == 1
    assert services.reconcile() == {}  # nothing left


def test_a_gateway_down_leaves_the_payment_pending(dossier, world, monkeypatch):
    stale, _order = started(dossier, world, minutes_ago=30)

    def query(self, payment):
        raise GatewayUnavailable("timeout")

    monkeypatch.setattr(FakeGateway, "query", query)
    assert services.reconcile() == {"timeout": 1}
    stale.refresh_from_db()
    assert stale.status == "pending"


def test_the_command(dossier, world, capsys):
    started(dossier, world, minutes_ago=30)
    call_command("reconcile_payments")
    assert "expired: 1" in capsys.readouterr().out


def test_the_fake_gateway_refuses_an_expired_order(client, dossier, world):
    _stale, order = started(dossier, world, minutes_ago=30)
    page = client.get("/thanh-toan/gia-lap/", order)
    assert page.status_code == 400
    assert "Đã quá thời hạn thanh toán" in page.content.decode()
    assert client.post("/thanh-toan/gia-lap/", {**order, "action": "pay"}).status_code == 400
