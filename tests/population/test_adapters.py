"""The population-database adapter: registry, fake, and the HTTP client without a network."""

import io
import json
import urllib.error
from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.population.adapters import (
    FAKE_CITIZENS,
    FakePopulationService,
    HttpPopulationService,
    PopulationService,
    PopulationServiceUnavailable,
    get_service,
    register,
)


def test_the_fake_knows_a_dozen_citizens():
    ids = [c.personal_id for c in FAKE_CITIZENS]
    assert len(ids) == 12 == len(set(ids))
    assert all(len(i) == 12 and i.isdigit() for i in ids)
    fake = FakePopulationService()
    an = fake.lookup("027090001234")
    assert an.full_name == "Nguyễn Văn An" and an.birth_date.year == 1990
    assert fake.lookup("027185005678").full_name == "Trần Thị Bình"
    assert fake.lookup("999999999999") is None


def test_the_fake_checks_name_and_birth_date():
    fake = FakePopulationService()
    assert fake.lookup("027090001234", full_name="  nguyễn  văn AN ") is not None
    assert fake.lookup("027090001234", full_name="Nguyen Van An") is None  # diacritics count
    assert fake.lookup("027090001234", birth_date=date(1990, 5, 12)) is not None
    assert fake.lookup("027090001234", birth_date=date(1990, 5, 13)) is None


def test_registry_chooses_by_settings(settings):
    assert isinstance(get_service(), FakePopulationService)
    settings.MOTCUA_POPULATION_SERVICE = "unavailable"
    with pytest.raises(PopulationServiceUnavailable):
        get_service().lookup("027090001234")
    settings.MOTCUA_POPULATION_SERVICE = "nowhere"
    with pytest.raises(ImproperlyConfigured):
        get_service()
    assert {"fake", "http", "unavailable"} <= set(register)
    with pytest.raises(ValueError):

        @register("fake")
        class Again(PopulationService):
            def lookup(self, personal_id, *, full_name=None, birth_date=None):
                return None


class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@pytest.fixture
def http(settings, monkeypatch):
    settings.MOTCUA_POPULATION_URL = "https://dancu.example.gov.vn/api/"
    settings.MOTCUA_POPULATION_TOKEN = "secret-token"
    settings.MOTCUA_POPULATION_TIMEOUT = 3
    calls = []

    def answer(with_):
        def urlopen(request, timeout):
            calls.append((request, timeout))
            if isinstance(with_, BaseException):
                raise with_
            return FakeResponse(with_)

        monkeypatch.setattr(HttpPopulationService, "urlopen", staticmethod(urlopen))
        return HttpPopulationService()

    answer.calls = calls
    return answer


def http_error(code):
    return urllib.error.HTTPError("https://x", code, "error", {}, io.BytesIO(b""))


def test_http_client_reads_a_citizen(http):
    record = {
        "personal_id": "027090001234",
        "full_name": "Nguyễn Văn An",
        "birth_date": "1990-05-12",
        "sex": "male",
        "permanent_address": "Bắc Ninh",
    }
    client = http(json.dumps({"citizen": record}).encode())
    citizen = client.lookup("027090001234", full_name="Nguyễn Văn An", birth_date=None)
    assert citizen.full_name == "Nguyễn Văn An" and citizen.birth_date == date(1990, 5, 12)
    request, timeout = http.calls[0]
    assert request.full_url == "https://dancu.example.gov.vn/api/citizens/lookup"
    assert request.get_method() == "POST" and timeout == 3
    assert request.get_header("Authorization") == "Bearer secret-token"
    assert json.loads(request.data)["personal_id"] == "027090001234"
    assert http(b'{"citizen": null}').lookup("027090001234") is None
    assert http(http_error(404)).lookup("027090001234") is None


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (http_error(500), "peer_error"),
        (http_error(503), "peer_error"),
        (http_error(401), "unauthorised"),
        (http_error(429), "rate_limited"),
        (http_error(400), "rejected"),
        (urllib.error.URLError(ConnectionRefusedError()), "unreachable"),
        (urllib.error.URLError(TimeoutError()), "timeout"),
        (TimeoutError(), "timeout"),
        (ConnectionResetError(), "unreachable"),
        (b"<html>not json</html>", "bad_response"),
        (b'{"citizen": {"full_name": "X"}}', "bad_response"),
    ],
)
def test_http_client_maps_failures(http, failure, reason):
    with pytest.raises(PopulationServiceUnavailable) as raised:
        http(failure).lookup("027090001234")
    assert raised.value.reason == reason


def test_http_client_needs_its_settings(settings):
    settings.MOTCUA_POPULATION_URL = ""
    settings.MOTCUA_POPULATION_TOKEN = "t"
    with pytest.raises(ImproperlyConfigured):
        HttpPopulationService()
    with pytest.raises(ImproperlyConfigured):
        HttpPopulationService(url="file:///etc/passwd")
    settings.MOTCUA_POPULATION_TOKEN = ""
    with pytest.raises(ImproperlyConfigured):
        HttpPopulationService(url="https://dancu.example.gov.vn")
