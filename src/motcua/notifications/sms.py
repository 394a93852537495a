"""The SMS gateway adapter (SPEC §3 items 9 and 22): an interface, a registry of
implementations chosen by settings, a console backend for the demo, an in-memory backend for
the tests, and the production HTTP client.

``settings.MOTCUA_SMS_BACKEND`` names the implementation (default ``"console"``). The HTTP
client reads ``MOTCUA_SMS_URL``, ``MOTCUA_SMS_TOKEN``, ``MOTCUA_SMS_SENDER`` (the brand name
registered with the carriers) and ``MOTCUA_SMS_TIMEOUT`` (seconds, default 10).
"""

from __future__ import annotations

import logging
import re
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from motcua.integrations import Registry, ServiceError, fetch_json, service_url, setting

logger = logging.getLogger(__name__)

#: A Vietnamese mobile number as the System stores it: 0 and 9 or 10 more digits.
PHONE_PATTERN = re.compile(r"^0\d{9,10}$")


@dataclass(frozen=True)
class Sms:
    """One text message to one phone number."""

    phone: str
    text: str


class SmsUnavailable(ServiceError):
    """The gateway did not take the message: down, unreachable, too slow, refused our
    credentials or the number. ``reason`` is a stable short code."""

    service = "SMS gateway"


class SmsBackend(ABC):
    """Sends one message; returns the gateway's message id, or raises :class:`SmsUnavailable`."""

    #: The registry name, set by :func:`register`.
    name: str = ""

    @abstractmethod
    def send(self, message: Sms) -> str: ...


#: Backends by name: ``@register(name)`` makes one available as ``MOTCUA_SMS_BACKEND = name``.
register: Registry[SmsBackend] = Registry("SMS backend", "MOTCUA_SMS_BACKEND", "console")


def backends() -> list[str]:
    return list(register)


def get_backend(name: str | None = None) -> SmsBackend:
    """A fresh instance of the configured backend."""
    return register.get(name)()


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
        self.url = service_url(url, "MOTCUA_SMS_URL")
        self.token = setting(token, "MOTCUA_SMS_TOKEN")
        self.sender = sender or getattr(settings, "MOTCUA_SMS_SENDER", "") or "MOTCUA"
        self.timeout = float(setting(timeout, "MOTCUA_SMS_TIMEOUT", 10))
        if not self.token:
            raise ImproperlyConfigured("MOTCUA_SMS_TOKEN must be set.")

    def send(self, message):
        answer = fetch_json(
            "POST",
            f"{self.url}/messages",
            error=SmsUnavailable,
            timeout=self.timeout,
            headers={"Authorization": f"Bearer {self.token}"},
            body={"to": message.phone, "text": message.text, "sender": self.sender},
            urlopen=self.urlopen,
        )
        try:
            return str(answer["id"])
        except (KeyError, TypeError) as error:
            raise SmsUnavailable.logged("bad_response", type(error).__name__) from error
