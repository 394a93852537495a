"""The public postal service adapter (SPEC §3 items 15, 22): booking the delivery of a
result through the "dịch vụ bưu chính công ích" that the System offers (BN 8.3, BN 28, TN 2.6).

An interface, implementations registered by name and chosen by
``settings.MOTCUA_POSTAL_SERVICE`` (default ``"fake"``), an in-process fake for the demo and
the tests, and the production HTTP client, which reads ``MOTCUA_POSTAL_URL``,
``MOTCUA_POSTAL_CLIENT_ID``, ``MOTCUA_POSTAL_SECRET`` and ``MOTCUA_POSTAL_TIMEOUT`` (seconds,
default 10).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass

from django.core.exceptions import ImproperlyConfigured

from motcua.integrations import Registry, ServiceError, fetch_json, service_url, setting


@dataclass(frozen=True)
class Party:
    """A sender or a recipient: who, where, and a phone the postman can call."""

    name: str
    address: str
    phone: str


@dataclass(frozen=True)
class ShipmentOrder:
    """What the postal service needs to collect one result at the desk and deliver it."""

    dossier_code: str
    sender: Party
    recipient: Party
    content: str


@dataclass(frozen=True)
class Booking:
    """The postal service's answer: the item's tracking number and the fee it charges (VND,
    ``None`` when it does not quote one)."""

    tracking_number: str
    fee: int | None = None


class PostalServiceError(ServiceError):
    """The postal service did not book the item. ``reason`` is a stable short code;
    ``permanent`` says that it refused the order itself (sending it again cannot help),
    otherwise it was down, unreachable, too slow, refused our credentials or answered
    something we cannot read, and a later attempt may succeed."""

    service = "Postal service"


class PostalService(ABC):
    """Books the delivery of a result. ``key`` is the idempotency key: the service books
    once per key and answers a repeated request with the first booking."""

    #: The registry name, set by :func:`register`.
    name: str = ""

    @abstractmethod
    def book(self, order: ShipmentOrder, *, key: str) -> Booking:
        """The booking, or :class:`PostalServiceError`."""


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of ``"<timestamp>.<body>"`` under the shared secret, the
    signature of our requests to the postal service and of its status notices to us."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


# --- Registry ------------------------------------------------------------------------------

#: Implementations by name (``@register("fake")``), chosen by ``MOTCUA_POSTAL_SERVICE``.
register: Registry[PostalService] = Registry("postal service", "MOTCUA_POSTAL_SERVICE", "fake")


def get_service(name: str | None = None) -> PostalService:
    """A fresh instance of the configured implementation."""
    return register.get(name)()


# --- In-process fakes ----------------------------------------------------------------------

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10_tracking_number(prefix: str, serial: int) -> str:
    """A UPU S10 item identifier (``EB123456785VN``): service prefix, 8-digit serial, check
    digit, country code."""
    digits = f"{serial:08d}"
    check = 11 - sum(int(d) * w for d, w in zip(digits, S10_WEIGHTS, strict=True)) % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f"{prefix}{digits}{check}VN"


@register("fake")
class FakePostalService(PostalService):
    """Books in-process with a flat fee; one booking per idempotency key, kept for the
    life of the process (the demo and the tests)."""

    FEE = 26_000
    bookings: dict[str, Booking] = {}
    _serials = itertools.count(10_000_001)
    _lock = threading.Lock()

    def book(self, order, *, key):
        with self._lock:
            if key not in self.bookings:
                number = s10_tracking_number("EB", next(self._serials))
                self.bookings[key] = Booking(number, self.FEE)
            return self.bookings[key]


@register("unavailable")
class UnavailablePostalService(PostalService):
    """A postal service that is always down: shows the retry path in the demo and tests."""

    def book(self, order, *, key):
        raise PostalServiceError("unreachable", "the fake postal service is down")


# --- Production client ---------------------------------------------------------------------


@register("http")
class HttpPostalService(PostalService):
    """JSON over HTTPS to the public postal service's gateway for results of administrative
    procedures.

    ``POST {MOTCUA_POSTAL_URL}/shipments`` with ``{"reference", "dossier_code", "sender",
    "recipient", "content"}``, the headers ``X-Client-Id``, ``X-Timestamp``, ``X-Signature``
    (:func:`signature` under ``MOTCUA_POSTAL_SECRET``) and ``Idempotency-Key``. The service
    answers 200/201 with ``{"tracking_number", "fee"}``, the first booking again for a
    repeated key. 400, 404, 409 and 422 mean it refuses the order (permanent); every other
    outcome (timeout, refused connection, 5xx, 401/403, 429, unreadable body) is a
    :class:`PostalServiceError` to try again later.
    """

    #: Replaced in tests; never called against the network there.
    urlopen = staticmethod(urllib.request.urlopen)

    def __init__(
        self,
        url: str | None = None,
        client_id: str | None = None,
        secret: str | None = None,
        timeout: float | None = None,
    ):
        self.url = service_url(url, "MOTCUA_POSTAL_URL")
        self.client_id = setting(client_id, "MOTCUA_POSTAL_CLIENT_ID")
        self.secret = setting(secret, "MOTCUA_POSTAL_SECRET")
        self.timeout = float(setting(timeout, "MOTCUA_POSTAL_TIMEOUT", 10))
        if not (self.client_id and self.secret):
            raise ImproperlyConfigured(
                "MOTCUA_POSTAL_CLIENT_ID and MOTCUA_POSTAL_SECRET must be set."
            )

    def book(self, order, *, key):
        body = json.dumps({"reference": key, **asdict(order)}, ensure_ascii=False).encode()
        timestamp = str(int(time.time()))
        data = fetch_json(
            "POST",
            f"{self.url}/shipments",
            error=PostalServiceError,
            timeout=self.timeout,
            headers={
                "X-Client-Id": self.client_id,
                "X-Timestamp": timestamp,
                "X-Signature": signature(self.secret, timestamp, body),
                "Idempotency-Key": key,
            },
            body=body,
            urlopen=self.urlopen,
        )
        return self._booking(data)

    @staticmethod
    def _booking(data) -> Booking:
        try:
            number = str(data["tracking_number"]).strip()
            fee = data.get("fee")
            if not number or (fee is not None and (isinstance(fee, bool) or int(fee) < 0)):
                raise ValueError("empty tracking number or negative fee")
            return Booking(number, None if fee is None else int(fee))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise PostalServiceError.logged("bad_response", type(error).__name__) from error
