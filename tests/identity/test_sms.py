"""The SMS adapter: registry, the in-process backends, and the HTTP client without a network."""

import io
import json
import logging
import urllib.error

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.notifications import sms


def test_registry_chooses_by_settings(settings):
    settings.MOTCUA_SMS_BACKEND = "console"
    assert isinstance(sms.get_backend(), sms.ConsoleSmsBackend)
    settings.MOTCUA_SMS_BACKEND = "memory"
    assert isinstance(sms.get_backend(), sms.MemorySmsBackend)
    settings.MOTCUA_SMS_BACKEND = "pigeon"
    with pytest.raises(ImproperlyConfigured):
        sms.get_backend()
    assert {"console", "http", "memory"} <= set(sms.backends())
    with pytest.raises(ValueError):
        sms.register("memory")(sms.MemorySmsBackend)


def test_console_logs_and_memory_keeps(settings, caplog):
    settings.MOTCUA_SMS_BACKEND = "console"
    with caplog.at_level(logging.WARNING, logger="motcua.notifications.sms"):
        sms.send_sms("0912345678", "Mã của bạn là 123456")
    assert "0912345678" in caplog.text and "123456" in caplog.text
    settings.MOTCUA_SMS_BACKEND = "memory"
    sms.outbox.clear()
    sms.send_sms("0912345678", "Xin chào")
    assert sms.outbox == [sms.Sms("0912345678", "Xin chào")]
    sms.outbox.clear()


def test_a_bad_number_is_not_sent(settings):
    settings.MOTCUA_SMS_BACKEND = "memory"
    with pytest.raises(sms.SmsUnavailable) as error:
        sms.send_sms("12345", "x")
    assert error.value.reason == "bad_number"


class Answer(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def http_backend(monkeypatch, outcome):
    sent = []

    def urlopen(request, timeout):
        sent.append((request, timeout))
        if isinstance(outcome, BaseException):
            raise outcome
        return Answer(outcome)

    monkeypatch.setattr(sms.HttpSmsBackend, "urlopen", staticmethod(urlopen))
    return sms.HttpSmsBackend(url="https://sms.example.vn/api/", token="t0k", timeout=3), sent


def test_http_sends_json_with_the_token(monkeypatch):
    backend, sent = http_backend(monkeypatch, b'{"id": "msg-7"}')
    assert backend.send(sms.Sms("0912345678", "Mã: 123456")) == "msg-7"
    [(request, timeout)] = sent
    assert request.full_url == "https://sms.example.vn/api/messages" and timeout == 3
    assert request.headers["Authorization"] == "Bearer t0k"
    body = json.loads(request.data)
    assert body == {"to": "0912345678", "text": "Mã: 123456", "sender": "MOTCUA"}


@pytest.mark.parametrize(
    ("outcome", "reason"),
    [
        (urllib.error.HTTPError("u", 503, "down", {}, io.BytesIO()), "peer_error"),
        (urllib.error.HTTPError("u", 401, "no", {}, io.BytesIO()), "unauthorised"),
        (urllib.error.HTTPError("u", 429, "slow", {}, io.BytesIO()), "rate_limited"),
        (urllib.error.HTTPError("u", 400, "bad", {}, io.BytesIO()), "rejected"),
        (TimeoutError(), "timeout"),
        (urllib.error.URLError(ConnectionRefusedError()), "unreachable"),
        (b"<html>", "bad_response"),
    ],
)
def test_http_failures_are_one_exception(monkeypatch, outcome, reason):
    backend, _ = http_backend(monkeypatch, outcome)
    with pytest.raises(sms.SmsUnavailable) as error:
        backend.send(sms.Sms("0912345678", "x"))
    assert error.value.reason == reason


def test_http_needs_its_settings(settings):
    settings.MOTCUA_SMS_URL = ""
    with pytest.raises(ImproperlyConfigured):
        sms.HttpSmsBackend()
    settings.MOTCUA_SMS_URL = "https://sms.example.vn"
    settings.MOTCUA_SMS_TOKEN = ""
    with pytest.raises(ImproperlyConfigured):
        sms.HttpSmsBackend()
