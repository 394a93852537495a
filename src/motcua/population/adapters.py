"""The national population database adapter (SPEC §3 item 22): an interface, a registry of
implementations chosen by settings, an in-process fake for the demo and the tests, and the
production HTTP client.

``settings.MOTCUA_POPULATION_SERVICE`` names the implementation (default ``"fake"``). The HTTP
client reads ``MOTCUA_POPULATION_URL``, ``MOTCUA_POPULATION_TOKEN`` and
``MOTCUA_POPULATION_TIMEOUT`` (seconds, default 10).
"""

from __future__ import annotations

import unicodedata
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ImproperlyConfigured

from motcua.integrations import Registry, ServiceError, fetch_json, service_url, setting


@dataclass(frozen=True)
class Citizen:
    """What the population database answers about one person."""

    personal_id: str
    full_name: str
    birth_date: date
    sex: str  # "male" or "female"
    permanent_address: str
    nationality: str = "Việt Nam"


class PopulationServiceUnavailable(ServiceError):
    """The population database could not answer: down, unreachable, too slow, refused our
    credentials or sent something we cannot read. ``reason`` is a stable short code."""

    service = "Population database"


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


#: Implementations by name (``@register("fake")``), chosen by ``MOTCUA_POPULATION_SERVICE``.
register: Registry[PopulationService] = Registry(
    "population service", "MOTCUA_POPULATION_SERVICE", "fake"
)


def get_service(name: str | None = None) -> PopulationService:
    """A fresh instance of the configured implementation."""
    return register.get(name)()


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
        self.url = service_url(url, "MOTCUA_POPULATION_URL")
        self.token = setting(token, "MOTCUA_POPULATION_TOKEN")
        self.timeout = float(setting(timeout, "MOTCUA_POPULATION_TIMEOUT", 10))
        if not self.token:
            raise ImproperlyConfigured("MOTCUA_POPULATION_TOKEN must be set.")

    def lookup(self, personal_id, *, full_name=None, birth_date=None):
        data = fetch_json(
            "POST",
            f"{self.url}/citizens/lookup",
            error=PopulationServiceUnavailable,
            timeout=self.timeout,
            headers={"Authorization": f"Bearer {self.token}"},
            body={
                "personal_id": personal_id,
                "full_name": full_name or None,
                "birth_date": birth_date.isoformat() if birth_date else None,
            },
            absent=(404,),
            urlopen=self.urlopen,
        )
        return None if data is None else self._citizen(data)

    @staticmethod
    def _citizen(data) -> Citizen | None:
        try:
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
        except (ValueError, KeyError, TypeError) as error:
            raise PopulationServiceUnavailable.logged(
                "bad_response", type(error).__name__
            ) from error
