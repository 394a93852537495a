"""The national population database adapter (SPEC §3 item 22): an interface, a registry of
implementations chosen by settings, an in-process fake for the demo and the tests, and the
production HTTP client.

``settings.MOTCUA_POPULATION_SERVICE`` names the implementation (default ``"fake"``). The HTTP
client reads ``MOTCUA_POPULATION_URL``, ``MOTCUA_POPULATION_TOKEN`` and
``MOTCUA_POPULATION_TIMEOUT`` (seconds, default 10).
"""

from __future__ import annotations

import json
import logging
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Citizen:
    """What the population database answers about one person."""

    personal_id: str
    full_name: str
    birth_date: date
    sex: str  # "male" or "female"
    permanent_address: str
    nationality: str = "Việt Nam"


class PopulationServiceUnavailable(Exception):
    """The population database could not answer: down, unreachable, too slow, refused our
    credentials or sent something we cannot read. ``reason`` is a stable short code."""

    def __init__(self, reason: str = "unavailable", detail: str = ""):
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


class PopulationService(ABC):
    """Looks a citizen up by personal ID number, optionally checking the name and birth date
    given by the applicant (the national database answers only when they match)."""

    #: The registry name, set by :func:`register`.
    name: str = ""

    @abstractmethod
    def lookup(
        self, personal_id: str, *, full_name: str | None = None, birth_date: date | None = None
    ) -> Citizen | None:
        """The citizen, ``None`` when no one matches, or :class:`PopulationServiceUnavailable`."""


def same_name(a: str, b: str) -> bool:
    """Names compare with their diacritics, ignoring case and spacing."""

    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).casefold().split())

    return norm(a) == norm(b)


def matches(citizen: Citizen, full_name: str | None, birth_date: date | None) -> bool:
    if full_name and not same_name(citizen.full_name, full_name):
        return False
    return not (birth_date and citizen.birth_date != birth_date)


# --- Registry ------------------------------------------------------------------------------


class Registry:
    """Implementations by name, in the style of Open Forms' plugin registries:

    >>> @register("fake")
    ... class FakePopulationService(PopulationService): ...
    """

    def __init__(self):
        self._services: dict[str, type[PopulationService]] = {}

    def __call__(self, name: str) -> Callable[[type[PopulationService]], type[PopulationService]]:
        def decorator(cls: type[PopulationService]) -> type[PopulationService]:
            if name in self._services:
                raise ValueError(f"A population service is already registered as {name!r}.")
            cls.name = name
            self._services[name] = cls
            return cls

        return decorator

    def __getitem__(self, name: str) -> type[PopulationService]:
        return self._services[name]

    def __contains__(self, name: str) -> bool:
        return name in self._services

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._services))


register = Registry()


def get_service(name: str | None = None) -> PopulationService:
    """A fresh instance of the configured implementation."""
    name = name or getattr(settings, "MOTCUA_POPULATION_SERVICE", "fake")
    if name not in register:
        raise ImproperlyConfigured(
            f"Unknown population service {name!r}; known: {', '.join(register)}."
        )
    return register[name]()


# --- In-process fakes ----------------------------------------------------------------------

FAKE_CITIZENS: tuple[Citizen, ...] = (
    # 12 digits: birth-registration province (3), century and sex (1), year (2), serial (6).
    Citizen(
        "027090001234",
        "Nguyễn Văn An",
        date(1990, 5, 12),
        "male",
        "Số 12 đường Ngô Gia Tự, phường Kinh Bắc, tỉnh Bắc Ninh",
    ),
    Citizen(
        "027185005678",
        "Trần Thị Bình",
        date(1985, 11, 3),
        "female",
        "Thôn Đông, xã Tiên Du, tỉnh Bắc Ninh",
    ),
    Citizen(
        "027201000345",
        "Lê Minh Châu",
        date(2001, 2, 20),
        "male",
        "Số 5 phố Lý Thái Tổ, phường Từ Sơn, tỉnh Bắc Ninh",
    ),
    Citizen(
        "027302004567",
        "Phạm Thị Dung",
        date(2002, 8, 30),
        "female",
        "Khu phố Đình, phường Võ Cường, tỉnh Bắc Ninh",
    ),
    Citizen(
        "093078001122",
        "Võ Văn Đức",
        date(1978, 1, 15),
        "male",
        "Khu vực 3, phường Vị Tân, thành phố Cần Thơ",
    ),
    Citizen(
        "093192003344",
        "Huỳnh Thị Hoa",
        date(1992, 9, 9),
        "female",
        "Ấp Mỹ Hiệp, xã Long Mỹ, thành phố Cần Thơ",
    ),
    Citizen(
        "042065007788",
        "Đặng Văn Hùng",
        date(1965, 4, 1),
        "male",
        "Xóm 5, xã Thạch Hà, tỉnh Hà Tĩnh",
    ),
    Citizen(
        "042199002211",
        "Bùi Thị Lan",
        date(1999, 12, 24),
        "female",
        "Tổ dân phố 2, phường Thành Sen, tỉnh Hà Tĩnh",
    ),
    Citizen(
        "026088004455",
        "Đỗ Quang Minh",
        date(1988, 6, 18),
        "male",
        "Số 40 đường Mê Linh, phường Vĩnh Yên, tỉnh Phú Thọ",
    ),
    Citizen(
        "026170006677",
        "Hoàng Thị Ngọc",
        date(1970, 3, 8),
        "female",
        "Thôn Yên Lạc, xã Yên Lạc, tỉnh Phú Thọ",
    ),
    Citizen(
        "019205008899",
        "Ngô Đức Phúc",
        date(2005, 10, 2),
        "male",
        "Tổ 7, phường Phan Đình Phùng, tỉnh Thái Nguyên",
    ),
    Citizen(
        "019154009900",
        "Vũ Thị Quỳnh",
        date(1954, 7, 27),
        "female",
        "Xóm Chùa, xã Đại Từ, tỉnh Thái Nguyên",
    ),
)


@register("fake")
class FakePopulationService(PopulationService):
    """A dozen fixed citizens, answered in-process: the demo and the tests."""

    citizens = {citizen.personal_id: citizen for citizen in FAKE_CITIZENS}

    def lookup(self, personal_id, *, full_name=None, birth_date=None):
        citizen = self.citizens.get(personal_id)
        if citizen is None or not matches(citizen, full_name, birth_date):
            return None
        return citizen


@register("unavailable")
class UnavailablePopulationService(PopulationService):
    """A peer that is always down: shows the outage path in the demo and the tests."""

    def lookup(self, personal_id, *, full_name=None, birth_date=None):
        raise PopulationServiceUnavailable("unreachable", "the fake peer is down")


# --- Production client ---------------------------------------------------------------------


@register("http")
class HttpPopulationService(PopulationService):
    """JSON over HTTPS to the province's gateway to the national population database.

    ``POST {MOTCUA_POPULATION_URL}/citizens/lookup`` with a bearer token and
    ``{"personal_id", "full_name", "birth_date"}``; the gateway answers 200 with
    ``{"citizen": {...}}`` (or ``{"citizen": null}``), or 404 when no one matches. Every other
    outcome (timeout, refused connection, 5xx, 401/403, 429, unreadable body) is
    :class:`PopulationServiceUnavailable`: the officer is told and the attempt is logged.
    """

    #: Replaced in tests; never called against the network there.
    urlopen = staticmethod(urllib.request.urlopen)

    def __init__(
        self, url: str | None = None, token: str | None = None, timeout: float | None = None
    ):
        self.url = (url or getattr(settings, "MOTCUA_POPULATION_URL", "")).rstrip("/")
        self.token = (
            token if token is not None else getattr(settings, "MOTCUA_POPULATION_TOKEN", "")
        )
        self.timeout = float(
            timeout if timeout is not None else getattr(settings, "MOTCUA_POPULATION_TIMEOUT", 10)
        )
        scheme = urllib.parse.urlsplit(self.url).scheme
        if scheme not in {"https", "http"}:
            raise ImproperlyConfigured("MOTCUA_POPULATION_URL must be an http(s) URL.")
        if not self.token:
            raise ImproperlyConfigured("MOTCUA_POPULATION_TOKEN must be set.")

    def lookup(self, personal_id, *, full_name=None, birth_date=None):
        body = json.dumps(
            {
                "personal_id": personal_id,
                "full_name": full_name or None,
                "birth_date": birth_date.isoformat() if birth_date else None,
            }
        ).encode()
        request = urllib.request.Request(
            f"{self.url}/citizens/lookup",
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
            if error.code == 404:
                return None
            raise self._failure(_http_reason(error.code), f"HTTP {error.code}") from error
        except TimeoutError as error:
            raise self._failure("timeout", f"no answer within {self.timeout:g} s") from error
        except urllib.error.URLError as error:
            reason = "timeout" if isinstance(error.reason, TimeoutError) else "unreachable"
            raise self._failure(reason, str(error.reason)) from error
        except OSError as error:
            raise self._failure("unreachable", str(error)) from error
        return self._citizen(payload)

    def _citizen(self, payload: bytes) -> Citizen | None:
        try:
            data = json.loads(payload.decode("utf-8"))
            record = data["citizen"]
            if record is None:
                return None
            return Citizen(
                personal_id=str(record["personal_id"]),
                full_name=str(record["full_name"]),
                birth_date=date.fromisoformat(record["birth_date"]),
                sex=str(record.get("sex", "")),
                permanent_address=str(record.get("permanent_address", "")),
                nationality=str(record.get("nationality") or "Việt Nam"),
            )
        except (UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
            raise self._failure("bad_response", type(error).__name__) from error

    @staticmethod
    def _failure(reason: str, detail: str) -> PopulationServiceUnavailable:
        logger.warning("Population database unavailable: %s (%s)", reason, detail)
        return PopulationServiceUnavailable(reason, detail)


def _http_reason(status: int) -> str:
    if status in (401, 403):
        return "unauthorised"
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return "peer_error"
    return "rejected"
