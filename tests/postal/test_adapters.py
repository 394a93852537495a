"""The postal service adapter (SPEC §3 item 22): the registry, the fake, and the production
client's signed requests and error mapping, against a stand-in for the network."""

import io
import json
import urllib.error

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.postal.adapters import (
    Booking,
    FakePostalService,
    HttpPostalService,
    Party,
    PostalServiceError,
    ShipmentOrder,
    UnavailablePostalService,
    get_service,
    s10_tracking_number,
    signature,
)

ORDER = ShipmentOrder(
    dossier_code="000.00.15.H06-260302-0001",
    sender=Party("Trung tâm PVHCC tỉnh", "Số 11 Lý Thái Tổ", "02223822222"),
    recipient=Party("Nguyễn Văn An", "Số 12 đường Ngô Gia Tự", "0912345678"),
    content="Kết quả giải quyết thủ tục hành chính",
)


class Response(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def client(answer):
    """An HTTP client whose network is ``answer(request)``; the requests are kept."""
    service = HttpPostalService(
        url="https://buudien.example.vn/api/", client_id="bac-ninh", secret="khoá", timeout=3
    )
    service.requests = []

    def urlopen(request, timeout):
        service.requests.append((request, timeout))
        return answer(request)

    service.urlopen = urlopen
    return service


def http_error(code, body=b'{"error": "x"}'):
    def answer(request):
        raise urllib.error.HTTPError(request.full_url, code, "", {}, io.BytesIO(body))

    return answer


def test_the_setting_chooses_the_implementation(settings):
    assert isinstance(get_service(), FakePostalService)
    settings.MOTCUA_POSTAL_SERVICE = "unavailable"
    assert isinstance(get_service(), UnavailablePostalService)
    settings.MOTCUA_POSTAL_SERVICE = "carrier-pigeon"
    with pytest.raises(ImproperlyConfigured, match="carrier-pigeon"):
        get_service()


def test_s10_tracking_numbers_carry_the_upu_check_digit():
    assert s10_tracking_number("AA", 47312482) == "AA473124829VN"  # the UPU S10 example
    assert s10_tracking_number("EB", 12345678) == "EB123456785VN"


def test_the_fake_books_once_per_key(fake_postal_service):
    first = FakePostalService().book(ORDER, key="k1")
    assert FakePostalService().book(ORDER, key="k1") == first
    other = FakePostalService().book(ORDER, key="k2")
    assert other.tracking_number != first.tracking_number
    assert len(fake_postal_service.bookings) == 2


def test_the_client_signs_its_request_and_reads_the_booking():
    service = client(lambda r: Response(b'{"tracking_number": "EB000000015VN", "fee": 26000}'))
    assert service.book(ORDER, key="postal.book:1") == Booking("EB000000015VN", 26000)
    request, timeout = service.requests[0]
    assert request.full_url == "https://buudien.example.vn/api/shipments"
    assert request.get_method() == "POST" and timeout == 3
    headers = {k.lower(): v for k, v in request.header_items()}
    assert headers["idempotency-key"] == "postal.book:1"
    assert headers["x-client-id"] == "bac-ninh"
    assert headers["x-signature"] == signature("khoá", headers["x-timestamp"], request.data)
    body = json.loads(request.data)
    assert body["reference"] == "postal.book:1"
    assert body["recipient"] == {
        "name": "Nguyễn Văn An",
        "address": "Số 12 đường Ngô Gia Tự",
        "phone": "0912345678",
    }
    assert body["dossier_code"] == ORDER.dossier_code


@pytest.mark.parametrize(
    ("answer", "reason", "permanent"),
    [
        (http_error(422), "rejected", True),
        (http_error(400), "rejected", True),
        (http_error(401), "unauthorised", False),
        (http_error(429), "rate_limited", False),
        (http_error(503), "peer_error", False),
        (lambda r: (_ for _ in ()).throw(TimeoutError()), "timeout", False),
        (lambda r: (_ for _ in ()).throw(urllib.error.URLError("refused")), "unreachable", False),
        (lambda r: (_ for _ in ()).throw(ConnectionResetError()), "unreachable", False),
        (lambda r: Response(b"<html>"), "bad_response", False),
        (lambda r: Response(b'{"tracking_number": ""}'), "bad_response", False),
        (lambda r: Response(b'{"tracking_number": "EB1VN", "fee": -1}'), "bad_response", False),
    ],
)
def test_every_failure_is_one_exception_type(answer, reason, permanent):
    with pytest.raises(PostalServiceError) as error:
        client(answer).book(ORDER, key="k")
    assert (error.value.reason, error.value.permanent) == (reason, permanent)


def test_the_client_needs_its_configuration(settings):
    settings.MOTCUA_POSTAL_URL = "https://buudien.example.vn"
    settings.MOTCUA_POSTAL_CLIENT_ID = "bac-ninh"
    with pytest.raises(ImproperlyConfigured, match="SECRET"):
        HttpPostalService()
    settings.MOTCUA_POSTAL_SECRET = "khoá"
    assert HttpPostalService().timeout == 10
    settings.MOTCUA_POSTAL_URL = "ftp://buudien.example.vn"
    with pytest.raises(ImproperlyConfigured, match="URL"):
        HttpPostalService()
