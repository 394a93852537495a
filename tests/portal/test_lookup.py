"""Status lookup without signing in: by code, by the receipt's QR address and by SMS keyword;
status and dates only, never personal data; rate-limited (BN 14.6, HG 8; SPEC §3 item 4)."""

# The province's `world` fixture is imported; tests take it as an argument.
# ruff: noqa: F811

import pytest
from django.core.cache import cache
from django.urls import reverse

from motcua.documents.qr import lookup_url
from motcua.profiles.loader import load_profile

from ..dossiers.conftest import received, world  # noqa: F401

PRIVATE = ("Nguyễn Văn An", "027090001234", "congdan1")
TOKEN = "gateway-shared-secret"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def test_lookup_by_code_shows_status_and_dates_only(client, world):
    dossier = received(world)
    response = client.get("/tra-cuu/", {"ma": f"  {dossier.code.lower()} "})
    assert response.status_code == 302 and response.url == f"/tra-cuu/{dossier.code}/"
    response = client.get(response.url)
    page = response.content.decode()
    assert response.status_code == 200
    assert dossier.code in page and "Sở Tư pháp" in page and world.permit.name in page
    assert 'id="status">Đang giải quyết<' in page or 'id="status">Đang xử lý<' in page
    assert "10:00 02/03/2026" in page  # received
    assert dossier.due_at.astimezone().strftime("%d/%m/%Y") in page  # appointment
    for private in PRIVATE:
        assert private not in page
    assert "no-cache" in response["Cache-Control"]


def test_the_receipts_qr_address_leads_to_the_status(client, world):
    dossier = received(world)
    address = lookup_url(dossier, "http://testserver")
    assert address == f"http://testserver/tra-cuu/{dossier.code}/"
    assert client.get(address).status_code == 200
    # Addresses printed without the final slash still lead there.
    response = client.get(address.rstrip("/"))
    assert response.status_code == 301 and response.url == f"/tra-cuu/{dossier.code}/"
    # The address pasted into the lookup box works too.
    pasted = client.get("/tra-cuu/", {"ma": address})
    assert pasted.url == f"/tra-cuu/{dossier.code}/"
    assert reverse("portal:lookup_code", args=[dossier.code]) == f"/tra-cuu/{dossier.code}/"


def test_unknown_and_malformed_codes(client, world):
    response = client.get("/tra-cuu/000.00.15.H06-260302-9999/")
    assert response.status_code == 404
    assert 'role="alert"' in response.content.decode()
    page = client.get("/tra-cuu/", {"ma": "<script>"}).content.decode()
    assert 'aria-invalid="true"' in page and "Đây không phải mã hồ sơ" in page


def test_a_draft_has_no_public_status(client, world):
    from motcua.dossiers import services

    draft = services.create_draft(world.permit, applicant=world.citizen, form_data=world.form)
    assert draft.code is None
    assert client.get(f"/tra-cuu/{draft.public_id}/").status_code == 404


def test_lookups_are_rate_limited_per_client_address(client, world, settings):
    settings.MOTCUA_PORTAL_LOOKUP_RATE = "3/minute"
    dossier = received(world)
    codes = [client.get(f"/tra-cuu/{dossier.code}/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get(f"/tra-cuu/{dossier.code}/")
    assert int(response["Retry-After"]) >= 1
    assert "Bạn đã tra cứu quá nhiều hồ sơ" in response.content.decode()
    other = client.get(f"/tra-cuu/{dossier.code}/", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def sms(client, text, *, phone="0912345678", token=TOKEN):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post("/sms/tra-cuu/", {"from": phone, "text": text}, **headers)


@pytest.fixture
def gateway(settings):
    settings.MOTCUA_SMS_GATEWAY_TOKEN = TOKEN
    return settings


def test_sms_reply_gives_status_and_appointment_in_vietnamese(client, world, gateway):
    dossier = received(world)
    response = sms(client, f"TRACUU {dossier.code}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    reply = response.content.decode()
    assert reply.startswith(f"Hồ sơ {dossier.code}: ")
    assert "Tiếp nhận ngày 02/03/2026." in reply
    assert f"Hẹn trả kết quả ngày {dossier.due_at.astimezone():%d/%m/%Y}." in reply
    for private in PRIVATE:
        assert private not in reply
    # The keyword in any case, with accents or a space.
    for text in (f"tracuu {dossier.code}", f"Tra cứu {dossier.code.lower()}"):
        assert sms(client, text).content.decode() == reply


def test_sms_wrong_syntax_and_unknown_code(client, world, gateway):
    assert sms(client, "xin chao").content.decode() == "Sai cú pháp. Soạn: TRACUU <mã hồ sơ>"
    reply = sms(client, "TRACUU 000.00.15.H06-260302-9999").content.decode()
    assert reply == "Không tìm thấy hồ sơ có mã 000.00.15.H06-260302-9999."


def test_sms_needs_the_gateway_token(client, world, gateway):
    assert sms(client, "TRACUU X", token=None).status_code == 401
    assert sms(client, "TRACUU X", token="wrong").status_code == 401
    gateway.MOTCUA_SMS_GATEWAY_TOKEN = ""  # no token configured: nobody gets in
    assert sms(client, "TRACUU X", token="").status_code == 401


def test_sms_is_rate_limited_per_phone_number(client, world, gateway):
    gateway.MOTCUA_SMS_LOOKUP_RATE = "2/hour"
    assert [sms(client, "TRACUU X").status_code for _ in range(3)] == [200, 200, 429]
    limited = sms(client, "TRACUU X", phone="+84 912 345 678")  # same number, other spelling
    assert limited.status_code == 429
    assert limited.content.decode().startswith("Số điện thoại này đã tra cứu quá nhiều lần")
    assert sms(client, "TRACUU X", phone="0987654321").status_code == 200


def test_sms_only_where_the_profile_offers_it(client, world, gateway):
    """Bắc Ninh answers by SMS (BN 14.6.c); Thái Nguyên's channels have no SMS (TN 9.1)."""
    assert "sms" in load_profile("bac-ninh").lookup.channels
    gateway.MOTCUA_PROFILE = "thai-nguyen"
    assert sms(client, "TRACUU X").status_code == 404
