"""The production ZNS client: the request it makes and how failures read."""

import io
import json
import urllib.error

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.notifications import zalo


@pytest.fixture
def zns(settings):
    settings.MOTCUA_ZALO_URL = "https://zns.example.vn/message/template"
    settings.MOTCUA_ZALO_ACCESS_TOKEN = "token"
    settings.MOTCUA_ZALO_TEMPLATE_ID = "2705"
    return zalo.get_service("zns")


def _answer(body: dict):
    return io.BytesIO(json.dumps(body).encode())


def test_sends_the_template_with_the_tracking_id(zns, monkeypatch):
    seen = {}

    def urlopen(request, timeout):
        seen.update(json.loads(request.data), token=request.get_header("Access_token"))
        return _answer({"error": 0, "data": {"msg_id": "m-1"}})

    monkeypatch.setattr(zalo.ZnsZalo, "urlopen", staticmethod(urlopen))
    assert zns.send("0912345678", "Hồ sơ đã có kết quả.", key="notify:1:zalo") == "m-1"
    assert seen["phone"] == "84912345678" and seen["tracking_id"] == "notify:1:zalo"
    assert seen["template_data"] == {"noi_dung": "Hồ sơ đã có kết quả."}
    assert seen["token"] == "token"


@pytest.mark.parametrize(
    ("outcome", "reason"),
    [
        (_answer({"error": -124, "message": "Access token is invalid"}), "rejected"),
        (urllib.error.URLError("refused"), "unreachable"),
        (TimeoutError(), "timeout"),
        (urllib.error.HTTPError("u", 401, "no", {}, io.BytesIO()), "unauthorised"),
        (io.BytesIO(b"<html>"), "bad_response"),
    ],
)
def test_failures_are_one_exception(zns, monkeypatch, outcome, reason):
    def urlopen(request, timeout):
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(zalo.ZnsZalo, "urlopen", staticmethod(urlopen))
    with pytest.raises(zalo.ZaloUnavailable) as raised:
        zns.send("0912345678", "x", key="k")
    assert raised.value.reason == reason


def test_production_client_needs_its_settings(settings):
    settings.MOTCUA_ZALO_ACCESS_TOKEN = ""
    with pytest.raises(ImproperlyConfigured):
        zalo.get_service("zns")
    with pytest.raises(ImproperlyConfigured):
        zalo.get_service("pigeon")
