"""The Zalo notification adapter (SPEC §3 item 9): Zalo Notification Service (ZNS) messages
sent by phone number from an approved template.

``settings.MOTCUA_ZALO_BACKEND`` names the implementation: ``"console"`` (the demo: the message
is written to the log), ``"memory"`` (tests: kept in :data:`SENT`) or ``"zns"`` (production:
``MOTCUA_ZALO_URL``, ``MOTCUA_ZALO_ACCESS_TOKEN``, ``MOTCUA_ZALO_TEMPLATE_ID``,
``MOTCUA_ZALO_TIMEOUT`` seconds)."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from abc import ABC, abstractmethod

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

#: Messages the memory backend has "sent": (phone, text, tracking id).
SENT: list[tuple[str, str, str]] = []


class ZaloUnavailable(Exception):
    """Zalo could not take the message; ``reason`` is a stable short code."""

    def __init__(self, reason: str, detail: str = ""):
        self.reason = reason
        super().__init__(f"{reason}: {detail}" if detail else reason)


class ZaloService(ABC):
    @abstractmethod
    def send(self, phone: str, text: str, *, key: str) -> str:
        """Send ``text`` to the Zalo account of ``phone``; ``key`` is the tracking id that
        makes a repeated send harmless. Returns the provider's message id."""


def international(phone: str) -> str:
    """ZNS addresses phones as 84xxxxxxxxx."""
    return "84" + phone[1:] if phone.startswith("0") else phone


class ConsoleZalo(ZaloService):
    def send(self, phone, text, *, key):
        logger.info("Zalo to %s [%s]: %s", phone, key, text)
        return f"console:{key}"


class MemoryZalo(ZaloService):
    def send(self, phone, text, *, key):
        if all(sent_key != key for _phone, _text, sent_key in SENT):
            SENT.append((phone, text, key))
        return f"memory:{key}"


class ZnsZalo(ZaloService):
    """The production client of the ZNS template-message API."""

    def __init__(self):
        self.url = getattr(settings, "MOTCUA_ZALO_URL", "")
        self.token = getattr(settings, "MOTCUA_ZALO_ACCESS_TOKEN", "")
        self.template = getattr(settings, "MOTCUA_ZALO_TEMPLATE_ID", "")
        self.timeout = float(getattr(settings, "MOTCUA_ZALO_TIMEOUT", 10))
        if not (self.url and self.token and self.template):
            raise ImproperlyConfigured(
                "Set MOTCUA_ZALO_URL, MOTCUA_ZALO_ACCESS_TOKEN and MOTCUA_ZALO_TEMPLATE_ID."
            )

    def send(self, phone, text, *, key):
        body = json.dumps(
            {
                "phone": international(phone),
                "template_id": self.template,
                "template_data": {"noi_dung": text},
                "tracking_id": key,
            }
        ).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "access_token": self.token},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.load(response)
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            raise ZaloUnavailable("unreachable", str(error)) from error
        if answer.get("error") != 0:
            raise ZaloUnavailable("rejected", str(answer.get("message", "")))
        return str(answer.get("data", {}).get("msg_id", ""))


BACKENDS: dict[str, type[ZaloService]] = {
    "console": ConsoleZalo,
    "memory": MemoryZalo,
    "zns": ZnsZalo,
}


def get_service(name: str | None = None) -> ZaloService:
    name = name or getattr(settings, "MOTCUA_ZALO_BACKEND", "console")
    if name not in BACKENDS:
        raise ImproperlyConfigured(f"Unknown Zalo backend {name!r}; known: {', '.join(BACKENDS)}.")
    return BACKENDS[name]()
