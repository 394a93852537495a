"""The Zalo notification adapter (SPEC §3 item 9): Zalo Notification Service (ZNS) messages
sent by phone number from an approved template.

``settings.MOTCUA_ZALO_BACKEND`` names the implementation: ``"console"`` (the demo: the message
is written to the log), ``"memory"`` (tests: kept in :data:`SENT`) or ``"zns"`` (production:
``MOTCUA_ZALO_URL``, ``MOTCUA_ZALO_ACCESS_TOKEN``, ``MOTCUA_ZALO_TEMPLATE_ID``,
``MOTCUA_ZALO_TIMEOUT`` seconds)."""

from __future__ import annotations

import logging
import urllib.request
from abc import ABC, abstractmethod

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from motcua.integrations import Registry, ServiceError, fetch_json

logger = logging.getLogger(__name__)

#: Messages the memory backend has "sent": (phone, text, tracking id).
SENT: list[tuple[str, str, str]] = []


class ZaloUnavailable(ServiceError):
    """Zalo could not take the message; ``reason`` is a stable short code."""

    service = "Zalo"


class ZaloService(ABC):
    #: The registry name, set by :data:`register`.
    name: str = ""

    @abstractmethod
    def send(self, phone: str, text: str, *, key: str) -> str:
        """Send ``text`` to the Zalo account of ``phone``; ``key`` is the tracking id that
        makes a repeated send harmless. Returns the provider's message id."""


def international(phone: str) -> str:
    """ZNS addresses phones as 84xxxxxxxxx."""
    return "84" + phone[1:] if phone.startswith("0") else phone


#: Backends by name, chosen by ``MOTCUA_ZALO_BACKEND``.
register: Registry[ZaloService] = Registry("Zalo backend", "MOTCUA_ZALO_BACKEND", "console")


@register("console")
class ConsoleZalo(ZaloService):
    def send(self, phone, text, *, key):
        logger.info("Zalo to %s [%s]: %s", phone, key, text)
        return f"console:{key}"


@register("memory")
class MemoryZalo(ZaloService):
    def send(self, phone, text, *, key):
        if all(sent_key != key for _phone, _text, sent_key in SENT):
            SENT.append((phone, text, key))
        return f"memory:{key}"


@register("zns")
class ZnsZalo(ZaloService):
    """The production client of the ZNS template-message API: JSON over HTTPS, an answer
    whose ``error`` is not 0 is ``rejected``, every other failure as :func:`fetch_json`
    maps it."""

    #: Replaced in tests; never called against the network there.
    urlopen = staticmethod(urllib.request.urlopen)

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
        answer = fetch_json(
            "POST",
            self.url,
            error=ZaloUnavailable,
            timeout=self.timeout,
            headers={"access_token": self.token},
            body={
                "phone": international(phone),
                "template_id": self.template,
                "template_data": {"noi_dung": text},
                "tracking_id": key,
            },
            urlopen=self.urlopen,
        )
        if not isinstance(answer, dict) or not isinstance(answer.get("data", {}), dict):
            raise ZaloUnavailable.logged("bad_response", "not a ZNS answer")
        if answer.get("error") != 0:
            raise ZaloUnavailable.logged("rejected", answer.get("message", ""))
        return str(answer.get("data", {}).get("msg_id", ""))


def get_service(name: str | None = None) -> ZaloService:
    """A fresh instance of the configured backend."""
    return register.get(name)()
