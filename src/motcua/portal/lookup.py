"""Public dossier status lookup without signing in: by code, by the receipt's QR (which
carries the code) and by SMS keyword (BN 14.6, HG 8; SPEC §3 item 4).

What anyone holding a code may learn is :class:`PublicStatus`: the procedure, the handling
agency, the status and its dates, never the applicant, the form or the documents.
"""

import hmac
import re
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import connections, router
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from motcua.catalogue.text import fold
from motcua.dossiers.models import Dossier, Status
from motcua.profiles import active_profile

from .ratelimit import Rate, hit

#: The longest dossier code (``Dossier.code``); longer input is not a code.
MAX_CODE_LENGTH = 48
CODE = re.compile(rf"^[0-9A-Za-z.\-]{{1,{MAX_CODE_LENGTH}}}$")


@dataclass(frozen=True)
class PublicStatus:
    """A dossier as the public lookup shows it."""

    code: str
    procedure: str
    agency: str
    status: str
    submitted_at: datetime | None
    received_at: datetime | None
    due_at: datetime | None
    result_ready_at: datetime | None
    finished_at: datetime | None
    status_label: str = ""

    def shown(self) -> dict[str, str]:
        """What the lookup page prints: text, times as "H:i d/m/Y" ('' when not yet)."""
        return {
            "code": self.code,
            "procedure": self.procedure,
            "agency": self.agency,
            "status_label": self.status_label,
            **{name: _at(getattr(self, name)) for name in TIMES},
        }


#: What a lookup reads, in the order of :class:`PublicStatus`'s fields.
PUBLIC_COLUMNS = (
    "code",
    "procedure__name",
    "agency__name",
    "status",
    "submitted_at",
    "received_at",
    "due_at",
    "result_ready_at",
    "finished_at",
)
TIMES = ("submitted_at", "received_at", "due_at", "result_ready_at", "finished_at")
#: The compiled lookup for each database: (SQL, each column's converters).
_STATEMENTS: dict[tuple[str, str], tuple[str, dict]] = {}


def clean_code(text: str) -> str:
    """The code as typed, or taken from the receipt's QR address when that is pasted;
    '' when it cannot be a code."""
    text = (text or "").strip()
    if "/" in text:
        text = unquote(urlsplit(text).path.rstrip("/").rpartition("/")[2])
    code = text.upper()
    return code if CODE.match(code) else ""


def find(code: str) -> PublicStatus | None:
    """The public status of the dossier with ``code``; None for no dossier or a draft."""
    code = clean_code(code)
    if not code:
        return None
    alias = router.db_for_read(Dossier)
    connection = connections[alias]
    sql, converters = _statement(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [code])
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    for position, (functions, expression) in converters.items():
        for function in functions:
            row[position] = function(row[position], expression, connection)
    found = PublicStatus(*row)
    return replace(found, status_label=str(Status(found.status).label))


def _statement(connection) -> tuple[str, dict]:
    """One indexed read of the public columns by code, no ordering: compiled once per
    database, so that a lookup costs the read and not the building of a query."""
    key = (connection.alias, connection.vendor)
    if key not in _STATEMENTS:
        query = Dossier.objects.filter(code="").order_by().values_list(*PUBLIC_COLUMNS)[:1]
        compiler = query.query.get_compiler(connection=connection)
        sql, _params = compiler.as_sql()
        converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
        _STATEMENTS[key] = (sql, converters)
    return _STATEMENTS[key]


# Rate limits ---------------------------------------------------------------------------


def web_rate() -> Rate:
    """Lookups one client address may make (``MOTCUA_PORTAL_LOOKUP_RATE``)."""
    return Rate.parse(settings.MOTCUA_PORTAL_LOOKUP_RATE)


def sms_rate() -> Rate:
    """Lookups one phone number may make by SMS (``MOTCUA_SMS_LOOKUP_RATE``)."""
    return Rate.parse(settings.MOTCUA_SMS_LOOKUP_RATE)


def throttle_client(address: str) -> int:
    """Seconds the client at ``address`` must wait before another lookup (0: none)."""
    return hit("lookup-web", address, web_rate())


def throttle_phone(phone: str) -> int:
    """Seconds ``phone`` must wait before another SMS lookup (0: none)."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("84"):  # +84 912 … and 0912 … are the same number
        digits = "0" + digits[2:]
    return hit("lookup-sms", digits or "unknown", sms_rate())


# SMS ---------------------------------------------------------------------------------


def sms_enabled() -> bool:
    """The province offers lookups by SMS (BN 14.6.c; a profile's ``lookup.channels``)."""
    return "sms" in active_profile().lookup.channels


def sms_keyword() -> str:
    """The keyword an SMS lookup starts with (``MOTCUA_SMS_LOOKUP_KEYWORD``)."""
    return settings.MOTCUA_SMS_LOOKUP_KEYWORD


def gateway_authorised(token: str) -> bool:
    """The SMS gateway's shared token (``MOTCUA_SMS_GATEWAY_TOKEN``); none set, none pass."""
    expected = settings.MOTCUA_SMS_GATEWAY_TOKEN
    return bool(expected) and hmac.compare_digest(token.encode(), expected.encode())


def parse_sms(text: str) -> str | None:
    """The code of "TRACUU <code>" (keyword in any case, with or without accents or a
    space: "Tra cứu", "tracuu"); None when the message is not a lookup."""
    keyword = fold(sms_keyword()).replace(" ", "")
    words = (text or "").split()
    for taken in (1, 2):
        if fold("".join(words[:taken])) == keyword and len(words) == taken + 1:
            return clean_code(words[taken]) or None
    return None


def _when(moment: datetime | None) -> str:
    return formats.date_format(timezone.localtime(moment), "d/m/Y") if moment else ""


def _at(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else ""


@dataclass(frozen=True)
class SmsAnswer:
    reply: str
    wait: int = 0  # seconds the number must wait; the reply then says so


def answer_sms(phone: str, text: str) -> SmsAnswer:
    """The answer to an inbound SMS from ``phone``, rate-limited per number."""
    wait = throttle_phone(phone)
    if wait:
        with translation.override("vi"):
            return SmsAnswer(_("Too many lookups from this number. Try again later."), wait)
    return SmsAnswer(sms_reply(text))


def sms_reply(text: str) -> str:
    """The reply to an inbound SMS, in Vietnamese: the status and the appointment, or how
    to write the message. No personal data."""
    with translation.override("vi"):
        code = parse_sms(text)
        if code is None:
            return _("Wrong syntax. Send: %(keyword)s <dossier code>") % {"keyword": sms_keyword()}
        found = find(code)
        if found is None:
            return _("No dossier has the code %(code)s.") % {"code": code}
        parts = [
            _("Dossier %(code)s: %(status)s.") % {"code": found.code, "status": found.status_label}
        ]
        if found.received_at:
            parts.append(_("Received %(date)s.") % {"date": _when(found.received_at)})
        if found.finished_at:
            parts.append(_("Finished %(date)s.") % {"date": _when(found.finished_at)})
        elif found.result_ready_at:
            parts.append(_("Result ready %(date)s.") % {"date": _when(found.result_ready_at)})
        elif found.due_at:
            parts.append(_("Appointment %(date)s.") % {"date": _when(found.due_at)})
        return " ".join(parts)
