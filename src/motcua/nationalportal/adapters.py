"""The national public-service portal adapter (SPEC §3 item 22): an interface, a registry of
implementations chosen by settings, an in-process fake for the demo and the tests, and the
production HTTP client.

``settings.MOTCUA_NATIONAL_PORTAL`` names the implementation (default ``"fake"``). The HTTP
client reads ``MOTCUA_NATIONAL_PORTAL_URL``, ``MOTCUA_NATIONAL_PORTAL_CLIENT_ID``,
``MOTCUA_NATIONAL_PORTAL_SECRET``, ``MOTCUA_NATIONAL_PORTAL_TIMEOUT`` (seconds),
``MOTCUA_NATIONAL_PORTAL_RETRIES`` and ``MOTCUA_NATIONAL_PORTAL_BACKOFF`` (seconds).

The wire format, spoken by the fake and the client alike:

* ``POST /dossier-status`` — one status record (:func:`motcua.nationalportal.services.
  status_record`, in the national portal's field names) with the outbox key as
  ``Idempotency-Key``: the portal acts once per key and answers a repeat as a success.
* ``GET /dossiers?procedures=CODE,CODE`` — ``{"dossiers": [...]}``, the dossiers submitted
  on the national portal for these procedures and not yet acknowledged.
* ``POST /dossiers/ack`` — ``{"accepted": [{"id", "code"}], "rejected": [{"id", "reason"}]}``.
* ``GET /procedures?codes=CODE,CODE`` — ``{"procedures": [...]}`` from the national procedure
  database (CSDL TTHC); a code it does not know is missing from the answer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from motcua.integrations import Registry

logger = logging.getLogger(__name__)


class NationalPortalError(Exception):
    """The national portal did not do what was asked. ``reason`` is a stable short code:
    ``rejected`` (it refused the request as invalid: trying again changes nothing),
    ``timeout``, ``unreachable``, ``peer_error``, ``rate_limited``, ``unauthorised`` or
    ``bad_response``."""

    RETRYABLE = frozenset({"timeout", "unreachable", "peer_error", "rate_limited"})

    def __init__(self, reason: str, detail: str = "", status: int | None = None):
        self.reason = reason
        self.detail = detail
        self.status = status
        super().__init__(f"{reason}: {detail}" if detail else reason)

    @property
    def permanent(self) -> bool:
        return self.reason == "rejected"

    @property
    def retryable(self) -> bool:
        return self.reason in self.RETRYABLE


@dataclass(frozen=True)
class NationalApplicant:
    kind: str  # "citizen" or "organisation"
    full_name: str
    personal_id: str = ""
    tax_code: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class NationalDossierRecord:
    """A dossier submitted on the national portal, waiting for us to take it."""

    national_id: str
    procedure_code: str
    applicant: NationalApplicant
    submitted_at: datetime
    form_data: dict = field(default_factory=dict)
    agency_code: str = ""


@dataclass(frozen=True)
class NationalProcedure:
    """A procedure as the national procedure database (CSDL TTHC) publishes it."""

    national_code: str
    name: str
    legal_basis: tuple[str, ...]
    processing_days: Decimal
    processing_time_note: str = ""
    fees: tuple[dict, ...] = ()  # {"name", "amount", "note"}
    components: tuple[dict, ...] = ()  # {"name", "required", "original_required", "copies"}


def _bad(error: Exception) -> NationalPortalError:
    return NationalPortalError("bad_response", f"{type(error).__name__}: {error}")


def dossier_from_json(data: dict) -> NationalDossierRecord:
    try:
        person = data["applicant"]
        submitted_at = datetime.fromisoformat(data["submitted_at"])
        if submitted_at.tzinfo is None:
            raise ValueError("submitted_at has no time zone")
        return NationalDossierRecord(
            national_id=str(data["id"]),
            procedure_code=str(data["procedure"]),
            agency_code=str(data.get("agency") or ""),
            submitted_at=submitted_at,
            form_data=dict(data.get("form") or {}),
            applicant=NationalApplicant(
                kind=str(person["kind"]),
                full_name=str(person.get("full_name") or ""),
                personal_id=str(person.get("personal_id") or ""),
                tax_code=str(person.get("tax_code") or ""),
                phone=str(person.get("phone") or ""),
                email=str(person.get("email") or ""),
            ),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise _bad(error) from error


def procedure_from_json(data: dict) -> NationalProcedure:
    try:
        return NationalProcedure(
            national_code=str(data["code"]),
            name=str(data["name"]).strip(),
            legal_basis=tuple(str(line).strip() for line in data.get("legal_basis") or ()),
            processing_days=Decimal(str(data["processing_days"])),
            processing_time_note=str(data.get("processing_time_note") or ""),
            fees=tuple(
                {
                    "name": str(fee["name"]).strip(),
                    "amount": int(fee["amount"]),
                    "note": str(fee.get("note") or ""),
                }
                for fee in data.get("fees") or ()
            ),
            components=tuple(
                {
                    "name": str(item["name"]).strip(),
                    "required": bool(item.get("required", True)),
                    "original_required": bool(item.get("original_required", False)),
                    "copies": int(item.get("copies", 1)),
                }
                for item in data.get("components") or ()
            ),
        )
    except (KeyError, TypeError, ValueError, InvalidOperation) as error:
        raise _bad(error) from error


class NationalPortal(ABC):
    """What the System asks of the national public-service portal."""

    #: The registry name, set by :func:`register`.
    name: str = ""

    @abstractmethod
    def push_status(self, record: dict, *, key: str) -> None:
        """Send one status change; ``key`` makes a repeat harmless."""

    @abstractmethod
    def fetch_dossiers(self, procedure_codes: list[str]) -> list[NationalDossierRecord]:
        """The dossiers submitted nationally for these procedures, not yet acknowledged."""

    @abstractmethod
    def acknowledge(self, accepted: list[dict], rejected: list[dict], *, key: str) -> None:
        """Tell the portal which pulled dossiers we took (with our code) or refused (why)."""

    @abstractmethod
    def fetch_procedures(self, codes: list[str]) -> dict[str, NationalProcedure]:
        """The national records of these procedures by national code; unknown codes absent."""


# --- Registry ------------------------------------------------------------------------------


register: Registry[NationalPortal] = Registry("national portal", "MOTCUA_NATIONAL_PORTAL", "fake")


def get_portal(name: str | None = None) -> NationalPortal:
    """A fresh instance of the configured implementation."""
    return register.get(name)()


# --- The fake portal ---------------------------------------------------------------------


class FakePortalState:
    """The national portal's side, kept in memory: what it received (one effect per
    idempotency key), the dossiers it has for us, what we acknowledged and its procedure
    database. Shared by the in-process fake and the fake HTTP server of the tests."""

    def __init__(self, procedures: dict[str, dict] | None = None):
        self.lock = threading.Lock()
        self.statuses: dict[str, dict] = {}  # idempotency key → record acted upon
        self.dossiers: dict[str, dict] = {}  # national id → dossier, as served
        self.acknowledged: dict[str, dict] = {}  # national id → {"code"} or {"reason"}
        self.procedures: dict[str, dict] = dict(procedures or {})
        #: Procedures whose status pushes the portal refuses (not published nationally).
        self.refused_procedures: set[str] = set()

    def receive_status(self, key: str, record: dict) -> bool:
        """Act on a status record once per key; ``False`` for a repeat. A record for a
        refused procedure raises :class:`ValueError` (the portal's rejection)."""
        if record.get("MaTTHC") in self.refused_procedures:
            raise ValueError(f"procedure {record.get('MaTTHC')} is not published nationally")
        with self.lock:
            if key in self.statuses:
                return False
            self.statuses[key] = record
            return True

    def pending_dossiers(self, procedure_codes) -> list[dict]:
        codes = set(procedure_codes)
        with self.lock:
            return [
                dossier
                for national_id, dossier in self.dossiers.items()
                if dossier["procedure"] in codes and national_id not in self.acknowledged
            ]

    def acknowledge(self, accepted: list[dict], rejected: list[dict]) -> None:
        with self.lock:
            for row in accepted:
                self.acknowledged[row["id"]] = {"code": row["code"]}
            for row in rejected:
                self.acknowledged[row["id"]] = {"reason": row["reason"]}

    def procedures_for(self, codes) -> list[dict]:
        return [self.procedures[code] for code in codes if code in self.procedures]

    @classmethod
    def from_demo_catalogue(cls) -> FakePortalState:
        """A national database holding the demo catalogue's procedures as they are."""
        from motcua.demo.loader import DATA_DIR

        with open(DATA_DIR / "procedures.toml", "rb") as file:
            catalogue = tomllib.load(file)
        return cls(
            {
                item["national_code"]: {
                    "code": item["national_code"],
                    "name": item["name"],
                    "legal_basis": item["legal_basis"],
                    "processing_days": str(item["processing_days"]),
                    "processing_time_note": item.get("processing_time_note", ""),
                    "fees": item.get("fee", []),
                    "components": item.get("component", []),
                }
                for item in catalogue["procedure"]
            }
        )


@register("fake")
class FakeNationalPortal(NationalPortal):
    """The national portal answered in-process from one :class:`FakePortalState` per
    process (the demo catalogue's procedures, no dossiers until some are added)."""

    state: FakePortalState | None = None

    def __init__(self):
        if FakeNationalPortal.state is None:
            FakeNationalPortal.state = FakePortalState.from_demo_catalogue()
        self.state = FakeNationalPortal.state

    def push_status(self, record, *, key):
        try:
            self.state.receive_status(key, record)
        except ValueError as error:
            raise NationalPortalError("rejected", str(error), 422) from error

    def fetch_dossiers(self, procedure_codes):
        return [dossier_from_json(item) for item in self.state.pending_dossiers(procedure_codes)]

    def acknowledge(self, accepted, rejected, *, key):
        self.state.acknowledge(accepted, rejected)

    def fetch_procedures(self, codes):
        found = (procedure_from_json(item) for item in self.state.procedures_for(codes))
        return {procedure.national_code: procedure for procedure in found}


# --- Production client -------------------------------------------------------------------


def signature(secret: str, method: str, path: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over the method, the path with its query, the timestamp and the body's
    SHA-256, one per line, keyed with the shared secret."""
    message = "\n".join([method, path, timestamp, hashlib.sha256(body).hexdigest()])
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def _http_reason(status: int) -> str:
    if status in (401, 403):
        return "unauthorised"
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return "peer_error"
    return "rejected"


@register("http")
class HttpNationalPortal(NationalPortal):
    """JSON over HTTPS to the national portal's integration gateway, every request signed
    (headers ``X-Client-Id``, ``X-Timestamp``, ``X-Signature``: :func:`signature`).

    A call that is safe to repeat — a read, or a write carrying an idempotency key — is tried
    again after a timeout, a refused connection, a 5xx or a 429, waiting ``backoff × 2ⁿ``
    between attempts; any other call is tried once. Every failure is a
    :class:`NationalPortalError`.
    """

    #: Replaced in tests that must not reach the network.
    urlopen = staticmethod(urllib.request.urlopen)
    sleep = staticmethod(time.sleep)

    def __init__(
        self,
        url: str | None = None,
        client_id: str | None = None,
        secret: str | None = None,
        timeout: float | None = None,
        retries: int | None = None,
        backoff: float | None = None,
    ):
        def setting(value, name, default):
            return value if value is not None else getattr(settings, name, default)

        self.url = setting(url, "MOTCUA_NATIONAL_PORTAL_URL", "").rstrip("/")
        self.client_id = setting(client_id, "MOTCUA_NATIONAL_PORTAL_CLIENT_ID", "")
        self.secret = setting(secret, "MOTCUA_NATIONAL_PORTAL_SECRET", "")
        self.timeout = float(setting(timeout, "MOTCUA_NATIONAL_PORTAL_TIMEOUT", 10))
        self.retries = int(setting(retries, "MOTCUA_NATIONAL_PORTAL_RETRIES", 2))
        self.backoff = float(setting(backoff, "MOTCUA_NATIONAL_PORTAL_BACKOFF", 1))
        if urllib.parse.urlsplit(self.url).scheme not in {"https", "http"}:
            raise ImproperlyConfigured("MOTCUA_NATIONAL_PORTAL_URL must be an http(s) URL.")
        if not self.client_id or not self.secret:
            raise ImproperlyConfigured(
                "MOTCUA_NATIONAL_PORTAL_CLIENT_ID and MOTCUA_NATIONAL_PORTAL_SECRET must be set."
            )

    def push_status(self, record, *, key):
        self._call("POST", "/dossier-status", body=record, key=key)

    def fetch_dossiers(self, procedure_codes):
        answer = self._call("GET", "/dossiers", query={"procedures": ",".join(procedure_codes)})
        return [dossier_from_json(item) for item in self._list(answer, "dossiers")]

    def acknowledge(self, accepted, rejected, *, key):
        self._call(
            "POST", "/dossiers/ack", body={"accepted": accepted, "rejected": rejected}, key=key
        )

    def fetch_procedures(self, codes):
        answer = self._call("GET", "/procedures", query={"codes": ",".join(codes)})
        found = (procedure_from_json(item) for item in self._list(answer, "procedures"))
        return {procedure.national_code: procedure for procedure in found}

    @staticmethod
    def _list(answer: dict, name: str) -> list:
        items = answer.get(name)
        if not isinstance(items, list):
            raise NationalPortalError("bad_response", f"no list {name!r}")
        return items

    def _call(self, method: str, path: str, *, query=None, body=None, key: str | None = None):
        idempotent = method == "GET" or key is not None
        attempts = 1 + (self.retries if idempotent else 0)
        attempt = 0
        while True:
            try:
                return self._once(method, path, query=query, body=body, key=key)
            except NationalPortalError as error:
                attempt += 1
                if not error.retryable or attempt >= attempts:
                    logger.warning("National portal %s %s failed: %s", method, path, error)
                    raise
                self.sleep(self.backoff * 2 ** (attempt - 1))

    def _once(self, method, path, *, query, body, key) -> dict:
        target = path + (f"?{urllib.parse.urlencode(query)}" if query else "")
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        timestamp = str(int(time.time()))
        headers = {
            "Accept": "application/json",
            "X-Client-Id": self.client_id,
            "X-Timestamp": timestamp,
            "X-Signature": signature(self.secret, method, target, timestamp, data),
        }
        if body is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        if key is not None:
            headers["Idempotency-Key"] = key
        request = urllib.request.Request(
            self.url + target,
            data=data if body is not None else None,
            method=method,
            headers=headers,
        )
        try:
            with self.urlopen(request, timeout=self.timeout) as response:
                payload = response.read()
        except urllib.error.HTTPError as error:
            detail = error.read()[:500].decode("utf-8", "replace")
            error.close()
            raise NationalPortalError(_http_reason(error.code), detail, error.code) from error
        except TimeoutError as error:
            raise NationalPortalError("timeout", f"no answer within {self.timeout:g} s") from error
        except urllib.error.URLError as error:
            reason = "timeout" if isinstance(error.reason, TimeoutError) else "unreachable"
            raise NationalPortalError(reason, str(error.reason)) from error
        except OSError as error:
            raise NationalPortalError("unreachable", str(error)) from error
        if not payload:
            return {}
        try:
            answer = json.loads(payload.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise _bad(error) from error
        if not isinstance(answer, dict):
            raise NationalPortalError("bad_response", "not a JSON object")
        return answer
