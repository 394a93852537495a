"""The payment-gateway adapter (SPEC §3 items 5, 22): an interface, a registry of
implementations chosen by settings, an in-process fake for the demo and the tests, and the
production client.

Gateways used by Vietnamese public-service portals (VNPAY, the national payment platform
of the DVCQG) share one pattern, which :class:`SignedQueryGateway` implements: the browser is
sent to the gateway with the order in ``vnp_*`` query parameters, signed with HMAC-SHA512
over the sorted, URL-encoded query string with the merchant's secret; the gateway signs its
answer the same way, sends it server to server (IPN) and brings the browser back to the
return URL with it. Amounts travel in hundredths of a dong.

``settings.MOTCUA_PAYMENT_GATEWAY`` names the implementation (default ``"fake"``). The
production client reads ``MOTCUA_PAYMENT_URL`` (the gateway's payment page),
``MOTCUA_PAYMENT_MERCHANT`` (the merchant code, ``vnp_TmnCode``), ``MOTCUA_PAYMENT_SECRET``
(the shared hash secret), ``MOTCUA_PAYMENT_API_URL`` (its transaction-query API, used when a
callback never came) and ``MOTCUA_PAYMENT_TIMEOUT`` (seconds, default 10).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote_plus, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from motcua.integrations import Registry, ServiceError, fetch_json, service_url, setting

#: Gateways date their messages in Vietnamese civil time.
GATEWAY_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

#: How long the gateway accepts a started payment.
PAYMENT_WINDOW = timedelta(minutes=15)

#: The order description; it carries the dossier code, which the payer must pay against
#: exactly (VP 15.5.đ). Gateways accept only unaccented text here.
ORDER_PREFIX = "Thanh toan phi le phi ho so "

#: Why a callback is refused, or what was done with it: the stable codes each gateway
#: translates into its own answer.
CONFIRMED = "confirmed"
ALREADY_CONFIRMED = "already_confirmed"
BAD_SIGNATURE = "bad_signature"
MALFORMED = "malformed"
UNKNOWN_REFERENCE = "unknown_reference"
WRONG_DOSSIER = "wrong_dossier"
AMOUNT_MISMATCH = "amount_mismatch"
EXPIRED = "expired"

#: What the payer's attempt came to, as the gateway reports it.
PAID, FAILED, CANCELLED = "paid", "failed", "cancelled"


@dataclass(frozen=True)
class GatewayResult:
    """A gateway's answer whose signature has been checked."""

    reference: str  # our transaction reference
    amount: int  # VND
    dossier_code: str
    transaction: str  # the gateway's transaction number
    outcome: str  # PAID, FAILED or CANCELLED
    response_code: str  # the gateway's own code for the outcome
    params: dict  # the signed parameters, as received


class PaymentRejected(Exception):
    """A gateway message that cannot be acted on; ``reason`` is one of the stable codes."""

    def __init__(self, reason: str, detail: str = ""):
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


class GatewayUnavailable(ServiceError):
    """The gateway could not answer a query: down, unreachable, too slow, refused us or
    sent something we cannot trust. ``reason`` is a stable short code."""

    service = "Payment gateway"


class PaymentGateway(ABC):
    """Starts a payment in the payer's browser and verifies what the gateway answers."""

    #: The registry name, set by :func:`register`.
    name: str = ""
    #: The gateway's name as printed on receipts.
    label: str = ""

    @abstractmethod
    def start(self, payment, return_url: str, *, client_ip: str = "") -> str:
        """The URL of the gateway's page where the payer pays ``payment``."""

    @abstractmethod
    def verify(self, params: Mapping[str, str]) -> GatewayResult:
        """The gateway's signed answer, or :class:`PaymentRejected` (``bad_signature``,
        ``malformed``). The reference, amount and dossier are checked against our records
        by ``services.confirm``, which raises the same exception."""

    @abstractmethod
    def answer(self, reason: str) -> dict:
        """The body the gateway expects in reply to its server-to-server callback."""

    @abstractmethod
    def query(self, payment) -> GatewayResult | None:
        """What the gateway recorded for ``payment`` when no callback came: its result,
        ``None`` when it has no completed transaction, or :class:`GatewayUnavailable`."""


# --- Registry ------------------------------------------------------------------------------


#: Implementations by name (``@register("fake")``), chosen by ``MOTCUA_PAYMENT_GATEWAY``.
register: Registry[PaymentGateway] = Registry("payment gateway", "MOTCUA_PAYMENT_GATEWAY", "fake")


def configured_name() -> str:
    return register.configured_name()


def get_gateway(name: str | None = None) -> PaymentGateway:
    """A fresh instance of the configured implementation."""
    return register.get(name)()


def label_of(name: str) -> str:
    """A gateway's name as printed on receipts, also for one no longer configured."""
    return register[name].label if name in register else name


# --- The signed query-string protocol ------------------------------------------------------


def canonical_query(params: Mapping[str, str]) -> str:
    """The signed text: every non-empty ``vnp_`` parameter but the hash, sorted by name,
    values URL-encoded with ``+`` for spaces."""
    return "&".join(
        f"{key}={quote_plus(str(value))}"
        for key, value in sorted(params.items())
        if key.startswith("vnp_")
        and key not in ("vnp_SecureHash", "vnp_SecureHashType")
        and value not in ("", None)
    )


def sign(params: Mapping[str, str], secret: str) -> str:
    """HMAC-SHA512 of the canonical query string, in hexadecimal."""
    return hmac.new(secret.encode(), canonical_query(params).encode(), hashlib.sha512).hexdigest()


def signature_valid(params: Mapping[str, str], secret: str) -> bool:
    given = str(params.get("vnp_SecureHash", "")).lower()
    return bool(given) and hmac.compare_digest(given, sign(params, secret))


def signed(params: Mapping[str, str], secret: str) -> dict[str, str]:
    """``params`` with their ``vnp_SecureHash``."""
    return {**params, "vnp_SecureHash": sign(params, secret)}


def gateway_time(moment: datetime) -> str:
    """``yyyyMMddHHmmss`` in Vietnamese civil time."""
    return timezone.localtime(moment, GATEWAY_TZ).strftime("%Y%m%d%H%M%S")


#: The gateway's answers to its callback, by our stable code (VNPAY's IPN convention).
IPN_ANSWERS = {
    CONFIRMED: ("00", "Confirm Success"),
    UNKNOWN_REFERENCE: ("01", "Order not found"),
    WRONG_DOSSIER: ("01", "Order not found"),
    ALREADY_CONFIRMED: ("02", "Order already confirmed"),
    AMOUNT_MISMATCH: ("04", "Invalid amount"),
    BAD_SIGNATURE: ("97", "Invalid signature"),
}
UNKNOWN_ERROR = ("99", "Unknown error")

#: The gateway's response code for a payment the payer cancelled on its page.
PAYER_CANCELLED = "24"


def outcome_of_codes(response_code: str, transaction_status: str) -> str:
    if response_code == "00" and transaction_status == "00":
        return PAID
    if response_code == PAYER_CANCELLED:
        return CANCELLED
    return FAILED


class SignedQueryGateway(PaymentGateway):
    """The ``vnp_*`` protocol, version 2.1.0, against ``url`` with ``merchant`` and
    ``secret``."""

    version = "2.1.0"

    def __init__(self, url: str, merchant: str, secret: str):
        self.url = url
        self.merchant = merchant
        self.secret = secret

    def start(self, payment, return_url: str, *, client_ip: str = "") -> str:
        created = payment.created_at or timezone.now()
        params = signed(
            {
                "vnp_Version": self.version,
                "vnp_Command": "pay",
                "vnp_TmnCode": self.merchant,
                "vnp_Amount": str(payment.amount * 100),
                "vnp_CurrCode": "VND",
                "vnp_TxnRef": payment.reference,
                "vnp_OrderInfo": f"{ORDER_PREFIX}{payment.dossier.code}",
                "vnp_OrderType": "billpayment",
                "vnp_Locale": "vn",
                "vnp_ReturnUrl": return_url,
                "vnp_IpAddr": client_ip or "127.0.0.1",
                "vnp_CreateDate": gateway_time(created),
                "vnp_ExpireDate": gateway_time(created + PAYMENT_WINDOW),
            },
            self.secret,
        )
        return f"{self.url}?{canonical_query(params)}&vnp_SecureHash={params['vnp_SecureHash']}"

    def verify(self, params: Mapping[str, str]) -> GatewayResult:
        params = {key: str(value) for key, value in params.items() if key.startswith("vnp_")}
        if not signature_valid(params, self.secret):
            raise PaymentRejected(BAD_SIGNATURE)
        try:
            reference = params["vnp_TxnRef"]
            hundredths = int(params["vnp_Amount"])
            info = params["vnp_OrderInfo"]
            code = params["vnp_ResponseCode"]
            status = params.get("vnp_TransactionStatus", code)
        except (KeyError, ValueError) as error:
            raise PaymentRejected(MALFORMED, type(error).__name__) from error
        if params.get("vnp_TmnCode") != self.merchant:
            raise PaymentRejected(MALFORMED, "another merchant")
        if hundredths < 0 or hundredths % 100 or not info.startswith(ORDER_PREFIX):
            raise PaymentRejected(MALFORMED, "amount or order")
        return GatewayResult(
            reference=reference,
            amount=hundredths // 100,
            dossier_code=info.removeprefix(ORDER_PREFIX).strip(),
            transaction=params.get("vnp_TransactionNo", ""),
            outcome=outcome_of_codes(code, status),
            response_code=code,
            params=params,
        )

    def answer(self, reason: str) -> dict:
        code, message = IPN_ANSWERS.get(reason, UNKNOWN_ERROR)
        return {"RspCode": code, "Message": message}


# --- In-process fake -----------------------------------------------------------------------


@register("fake")
class FakeGateway(SignedQueryGateway):
    """The gateway's side played in-process (``payments:fake_gateway``): the demo and the
    tests pay or cancel on a page of the System itself. Its secret is derived from the
    installation's ``SECRET_KEY``, so nobody outside can sign for it."""

    label = "Cổng thanh toán giả lập"

    def __init__(self):
        super().__init__(
            url=reverse("payments:fake_gateway"),
            merchant=getattr(settings, "MOTCUA_PAYMENT_MERCHANT", "") or "MOTCUA01",
            secret=salted_hmac("motcua.payments.fake", "gateway-secret").hexdigest(),
        )

    def check_order(self, params: Mapping[str, str]) -> dict[str, str]:
        """What the gateway checks of an order before showing it: our merchant's signature."""
        params = {key: str(value) for key, value in params.items() if key.startswith("vnp_")}
        if not signature_valid(params, self.secret) or params.get("vnp_TmnCode") != self.merchant:
            raise PaymentRejected(BAD_SIGNATURE)
        if params.get("vnp_Command") != "pay" or "vnp_TxnRef" not in params:
            raise PaymentRejected(MALFORMED)
        if params.get("vnp_ExpireDate", "") < gateway_time(timezone.now()):
            raise PaymentRejected(EXPIRED)
        return params

    def query(self, payment) -> GatewayResult | None:
        """The fake delivers every callback as the payer acts: an attempt it sent none for
        was never completed."""
        return None

    def outcome_of(self, order: Mapping[str, str], *, pay: bool) -> dict[str, str]:
        """The signed answer for ``order``: paid, or cancelled by the payer."""
        now = timezone.now()
        transaction = f"{secrets.randbelow(10**8):08d}"
        params = {
            "vnp_TmnCode": order["vnp_TmnCode"],
            "vnp_Amount": order["vnp_Amount"],
            "vnp_BankCode": "NCB",
            "vnp_OrderInfo": order["vnp_OrderInfo"],
            "vnp_PayDate": gateway_time(now),
            "vnp_TxnRef": order["vnp_TxnRef"],
            "vnp_TransactionNo": transaction if pay else "0",
            "vnp_ResponseCode": "00" if pay else PAYER_CANCELLED,
            "vnp_TransactionStatus": "00" if pay else "02",
        }
        if pay:
            params.update(vnp_BankTranNo=f"VNP{transaction}", vnp_CardType="ATM")
        return signed(params, self.secret)

    @staticmethod
    def return_url(order: Mapping[str, str]) -> str:
        """Where the payer's browser goes back to: only a path of the System itself."""
        parts = urlsplit(order.get("vnp_ReturnUrl", ""))
        if not parts.path.startswith("/"):
            raise PaymentRejected(MALFORMED, "return URL")
        return parts.path


# --- Production client ---------------------------------------------------------------------


#: The signed fields of a transaction query and of its answer, in order (``querydr``).
QUERY_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
QUERY_ANSWER_FIELDS = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
)
#: The query's answer codes: the transaction is not known; it is not completed.
NOT_FOUND, INCOMPLETE = "91", "01"


def pipe_signature(params: Mapping[str, object], fields: tuple[str, ...], secret: str) -> str:
    """HMAC-SHA512 over the ``fields`` values joined by ``|`` (the query API's signature)."""
    text = "|".join(str(params.get(field) or "") for field in fields)
    return hmac.new(secret.encode(), text.encode(), hashlib.sha512).hexdigest()


@register("vnpay")
class VnpayGateway(SignedQueryGateway):
    """VNPAY (and gateways speaking its protocol, as the national payment platform's
    connectors do): the payer is redirected to ``MOTCUA_PAYMENT_URL`` (for VNPAY
    ``https://pay.vnpay.vn/vpcpay.html``, the sandbox
    ``https://sandbox.vnpayment.vn/paymentv2/vpcpay.html``); the gateway calls back the
    IPN address registered with it, ``payments:callback``. When a callback never comes,
    :meth:`query` asks the transaction API (``MOTCUA_PAYMENT_API_URL``, the sandbox's
    ``https://sandbox.vnpayment.vn/merchant_webapi/api/transaction``) over HTTPS; every
    failure there is :class:`GatewayUnavailable`.
    """

    label = "VNPAY"
    #: Replaced in tests; never called against the network there.
    urlopen = staticmethod(urllib.request.urlopen)

    def __init__(
        self,
        url: str | None = None,
        merchant: str | None = None,
        secret: str | None = None,
        *,
        api_url: str | None = None,
        timeout: float | None = None,
    ):
        url = service_url(url, "MOTCUA_PAYMENT_URL", https_only=True)
        merchant = merchant or getattr(settings, "MOTCUA_PAYMENT_MERCHANT", "")
        secret = secret or getattr(settings, "MOTCUA_PAYMENT_SECRET", "")
        self.api_url = service_url(api_url, "MOTCUA_PAYMENT_API_URL", https_only=True)
        self.timeout = float(setting(timeout, "MOTCUA_PAYMENT_TIMEOUT", 10))
        if not merchant or not secret:
            raise ImproperlyConfigured(
                "MOTCUA_PAYMENT_MERCHANT and MOTCUA_PAYMENT_SECRET must be set."
            )
        super().__init__(url=url, merchant=merchant, secret=secret)

    def query(self, payment) -> GatewayResult | None:
        body = {
            "vnp_RequestId": secrets.token_hex(16),
            "vnp_Version": self.version,
            "vnp_Command": "querydr",
            "vnp_TmnCode": self.merchant,
            "vnp_TxnRef": payment.reference,
            "vnp_OrderInfo": f"Truy van giao dich {payment.reference}",
            "vnp_TransactionDate": gateway_time(payment.created_at),
            "vnp_CreateDate": gateway_time(timezone.now()),
            "vnp_IpAddr": "127.0.0.1",
        }
        body["vnp_SecureHash"] = pipe_signature(body, QUERY_FIELDS, self.secret)
        data = fetch_json(
            "POST",
            self.api_url,
            error=GatewayUnavailable,
            timeout=self.timeout,
            body=body,
            urlopen=self.urlopen,
        )
        return self._query_result(payment, data)

    def _query_result(self, payment, data) -> GatewayResult | None:
        if not isinstance(data, dict):
            raise GatewayUnavailable.logged("bad_response", "not a JSON object")
        given = str(data.get("vnp_SecureHash", "")).lower()
        expected = pipe_signature(data, QUERY_ANSWER_FIELDS, self.secret)
        if not hmac.compare_digest(given, expected):
            raise GatewayUnavailable.logged("bad_signature", payment.reference)
        code, status = str(data.get("vnp_ResponseCode")), str(data.get("vnp_TransactionStatus"))
        if code == NOT_FOUND or (code == "00" and status == INCOMPLETE):
            return None
        if code != "00":
            raise GatewayUnavailable.logged("rejected", f"code {code}")
        try:
            hundredths = int(data["vnp_Amount"])
        except (KeyError, TypeError, ValueError) as error:
            raise GatewayUnavailable.logged("bad_response", type(error).__name__) from error
        if data.get("vnp_TxnRef") != payment.reference or hundredths % 100:
            raise GatewayUnavailable.logged("bad_response", "another transaction")
        return GatewayResult(
            reference=payment.reference,
            amount=hundredths // 100,
            dossier_code=payment.dossier.code,
            transaction=str(data.get("vnp_TransactionNo", "")),
            outcome=outcome_of_codes("00", status),
            response_code=status,
            params={key: str(value) for key, value in data.items()},
        )
