"""The SMS gateway adapter (SPEC §3 items 9 and 22): an interface, a registry of
implementations chosen by settings, a console backend for the demo, an in-memory backend for
the tests, and the production HTTP client.

``settings.MOTCUA_SMS_BACKEND`` names the implementation (default ``"console"``). The HTTP
client reads ``MOTCUA_SMS_URL``, ``MOTCUA_SMS_TOKEN``, ``MOTCUA_SMS_SENDER`` (the brand name
registered with the carriers) and ``MOTCUA_SMS_TIMEOUT`` (seconds, default 10).
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

#: A Vietnamese mobile number as the System stores it: 0 and 9 or 10 more digits.
PHONE_PATTERN = re.compile(r"^0\d{9,10}$")


@dataclass(frozen=True)
class Sms:
    """One text message to one phone number."""

    phone: str
    text: str


class SmsUnavailable(Exception):
    """The gateway did not take the message: down, unreachable, too slow, refused our
    credentials or the number. ``reason`` is a stable short code."""

    def __init__(self, reason: str = "unavailable", detail: str = ""):
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


class SmsBackend(ABC):
    """Sends one message; returns the gateway's message id, or raises :class:`SmsUnavailable`."""

    #: The registry name, set by :func:`register`.
    name: str = ""

    @abstractmethod
    def send(self, message: Sms) -> str: ...


_backends: dict[str, type[SmsBackend]] = {}


def register(name: str) -> Callable[[type[SmsBackend]], type[SmsBackend]]:
    """Class decorator: make a backend available as ``MOTCUA_SMS_BACKEND = name``."""

    def decorator(cls: type[SmsBackend]) -> type[SmsBackend]:
        if name in _backends:
            raise ValueError(f"An SMS backend is already registered as {name!r}.")
        cls.name = name
        _backends[name] = cls
        return cls

    return decorator


def backends() -> list[str]:
    return sorted(_backends)


def get_backend(name: str | None = None) -> SmsBackend:
    """A fresh instance of the configured backend."""
    name = name or getattr(settings, "MOTCUA_SMS_BACKEND", "console")
    if name not in _backends:
        raise ImproperlyConfigured(f"Unknown SMS backend {name!r}; known: {', '.join(backends())}.")
    return _backends[name]()


def send_sms(phone: str, text: str) -> str:
    """Send ``text`` to ``phone`` through the configured backend."""
    if not PHONE_PATTERN.match(phone):
        raise SmsUnavailable("bad_number", "not a Vietnamese phone number")
    return get_backend().send(Sms(phone, text))


# --- In-process backends -------------------------------------------------------------------


@register("console")
class ConsoleSmsBackend(SmsBackend):
    """Writes each message to the log: the demo reads its codes there."""

    def send(self, message):
        logger.warning("SMS to %s: %s", message.phone, message.text)
        return f"console-{id(message):x}"


#: Messages taken by the memory backend, oldest first (tests read and clear it).
outbox: list[Sms] = []


@register("memory")
class MemorySmsBackend(SmsBackend):
    """Keeps each message in :data:`outbox`: the tests."""

    def send(self, message):
        outbox.append(message)
        return f"memory-{len(outbox)}"


# --- Production client ---------------------------------------------------------------------


@register("http")
class HttpSmsBackend(SmsBackend):
    """JSON over HTTPS to the province's SMS brand-name gateway.

    ``POST {MOTCUA_SMS_URL}/messages`` with a bearer token and ``{"to", "text", "sender"}``;
    the gateway answers 200/201/202 with ``{"id": "..."}``. Every other outcome (timeout,
    refused connection, 4xx, 5xx, unreadable body) is :class:`SmsUnavailable`.
    """

    #: Replaced in tests; never called against the network there.
    urlopen = staticmethod(urllib.request.urlopen)

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        sender: str | None = None,
        timeout: float | None = None,
    ):
        self.url = (url or getattr(settings, "MOTCUA_SMS_URL", "")).rstrip("/")
        self.token = token if token is not None else getattr(settings, "MOTCUA_SMS_TOKEN", "")
        self.sender = sender or getattr(settings, "MOTCUA_SMS_SENDER", "") or "MOTCUA"
        self.timeout = float(
            timeout if timeout is not None else getattr(settings, "MOTCUA_SMS_TIMEOUT", 10)
        )
        if urllib.parse.urlsplit(self.url).scheme not in {"https", "http"}:
            raise ImproperlyConfigured("MOTCUA_SMS_URL must be an http(s) URL.")
        if not self.token:
            raise ImproperlyConfigured("MOTCUA_SMS_TOKEN must be set.")

    def send(self, message):
        body = json.dumps(
            {"to": message.phone, "text": message.text, "sender": self.sender}
        ).encode()
        request = urllib.request.Request(
            f"{self.url}/messages",
            data=body,
            method="POST",
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
            },
        )
        try:
            with self.urlopen(request, timeout=self.timeout) as response:
                payload = response.read()
        except urllib.error.HTTPError as error:
            error.close()
            raise self._failure(_http_reason(error.code), f"HTTP {error.code}") from error
        except TimeoutError as error:
            raise self._failure("timeout", f"no answer within {self.timeout:g} s") from error
        except urllib.error.URLError as error:
            reason = "timeout" if isinstance(error.reason, TimeoutError) else "unreachable"
            raise self._failure(reason, str(error.reason)) from error
        except OSError as error:
            raise self._failure("unreachable", str(error)) from error
        try:
            return str(json.loads(payload.decode("utf-8"))["id"])
        except (UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
            raise self._failure("bad_response", type(error).__name__) from error

    @staticmethod
    def _failure(reason: str, detail: str) -> SmsUnavailable:
        logger.warning("SMS gateway unavailable: %s (%s)", reason, detail)
        return SmsUnavailable(reason, detail)


def _http_reason(status: int) -> str:
    if status in (401, 403):
        return "unauthorised"
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return "peer_error"
    return "rejected"
