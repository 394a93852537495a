"""What the external-service adapters share (SPEC §3 item 22): the registry chosen by a
setting and the JSON-over-HTTP call whose every failure is one exception with a stable reason."""

import io
import json
import logging
import urllib.error
import urllib.request

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.integrations import (
    Registry,
    ServiceError,
    fetch_json,
    http_reason,
    service_url,
    setting,
)


class Greeter:
    name = ""


def make_registry():
    register = Registry("greeter", "MOTCUA_TEST_GREETER", "plain")

    @register("plain")
    class Plain(Greeter):
        pass

    @register("loud")
    class Loud(Greeter):
        pass

    return register, Plain, Loud


def test_the_registry_names_its_classes_and_lists_them_sorted():
    register, plain, loud = make_registry()
    assert (plain.name, loud.name) == ("plain", "loud")
    assert list(register) == ["loud", "plain"]
    assert "loud" in register and "quiet" not in register
    assert register["loud"] is loud
    with pytest.raises(ValueError, match="already registered as 'loud'"):
        register("loud")(type("Again", (Greeter,), {}))
    assert register["loud"] is loud


def test_the_setting_chooses_and_an_unknown_name_says_what_is_known(settings):
    register, plain, loud = make_registry()
    assert register.get() is plain  # the default when the setting is absent
    settings.MOTCUA_TEST_GREETER = "loud"
    assert register.configured_name() == "loud" and register.get() is loud
    assert register.get("plain") is plain
    settings.MOTCUA_TEST_GREETER = "whisper"
    with pytest.raises(ImproperlyConfigured) as error:
        register.get()
    message = str(error.value)
    assert "'whisper'" in message and "MOTCUA_TEST_GREETER" in message
    assert "loud, plain" in message


class PeerDown(ServiceError):
    service = "Test peer"


class Answer(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def network(outcome, seen=None):
    """A stand-in for ``urlopen``: answers ``outcome`` (bytes) or raises it."""

    def urlopen(request, timeout):
        if seen is not None:
            seen.append((request, timeout))
        if isinstance(outcome, BaseException):
            raise outcome
        return Answer(outcome)

    return urlopen


def call(outcome, **options):
    return fetch_json(
        "POST",
        "https://peer.example.vn/api",
        error=PeerDown,
        timeout=4,
        body={"tên": "Nguyễn Văn An"},
        urlopen=network(outcome),
        **options,
    )


def test_a_json_request_and_its_parsed_answer():
    seen = []
    answer = fetch_json(
        "PUT",
        "https://peer.example.vn/api/x",
        error=PeerDown,
        timeout=4,
        headers={"Authorization": "Bearer t"},
        body={"tên": "Nguyễn Văn An"},
        urlopen=network('{"ok": true, "tên": "Bình"}'.encode(), seen),
    )
    assert answer == {"ok": True, "tên": "Bình"}
    [(request, timeout)] = seen
    assert request.get_method() == "PUT" and timeout == 4
    assert request.full_url == "https://peer.example.vn/api/x"
    headers = {k.lower(): v for k, v in request.header_items()}
    assert headers["authorization"] == "Bearer t"
    assert headers["accept"] == "application/json"
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert "Nguyễn Văn An".encode() in request.data  # UTF-8, not \u escapes
    assert json.loads(request.data) == {"tên": "Nguyễn Văn An"}


def test_bytes_go_out_as_they_are_and_a_get_carries_no_body():
    seen = []
    post = network(b"{}", seen)
    fetch_json("POST", "https://p.vn", error=PeerDown, timeout=1, body=b'{"a":1}', urlopen=post)
    fetch_json("GET", "https://p.vn", error=PeerDown, timeout=1, urlopen=network(b"[]", seen))
    assert seen[0][0].data == b'{"a":1}'
    assert seen[1][0].data is None and not seen[1][0].has_header("Content-type")


def test_an_empty_answer_and_an_absent_record():
    assert call(b"") == {}
    not_found = urllib.error.HTTPError("u", 404, "", {}, io.BytesIO())
    assert call(not_found, absent=(404,)) is None


def http_error(code, body=b""):
    return urllib.error.HTTPError("u", code, "", {}, io.BytesIO(body))


@pytest.mark.parametrize(
    ("outcome", "reason", "permanent"),
    [
        (http_error(400), "rejected", True),
        (http_error(404), "rejected", True),
        (http_error(409), "rejected", True),
        (http_error(422, b'{"error": "no address"}'), "rejected", True),
        (http_error(405), "rejected", False),
        (http_error(401), "unauthorised", False),
        (http_error(403), "unauthorised", False),
        (http_error(429), "rate_limited", False),
        (http_error(500), "peer_error", False),
        (http_error(503), "peer_error", False),
        (TimeoutError(), "timeout", False),
        (urllib.error.URLError(TimeoutError()), "timeout", False),
        (urllib.error.URLError(ConnectionRefusedError()), "unreachable", False),
        (ConnectionResetError(), "unreachable", False),
        (b"<html>not json</html>", "bad_response", False),
        (b"\xff\xfe", "bad_response", False),
    ],
)
def test_every_failure_is_the_callers_exception(outcome, reason, permanent):
    with pytest.raises(PeerDown) as raised:
        call(outcome)
    assert (raised.value.reason, raised.value.permanent) == (reason, permanent)
    expected_status = outcome.code if isinstance(outcome, urllib.error.HTTPError) else None
    assert raised.value.status == expected_status


def test_a_refusal_keeps_what_the_peer_said_and_is_logged(caplog):
    with caplog.at_level(logging.WARNING, logger=__name__), pytest.raises(PeerDown) as raised:
        call(http_error(422, b'{"error": "no address"}'))
    assert raised.value.detail == 'HTTP 422 {"error": "no address"}'
    assert "Test peer failed: rejected" in caplog.text
    assert caplog.records[0].name == __name__  # the adapter's own logger


def test_without_a_stand_in_it_uses_urllib_at_call_time(monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", network(b'{"id": 7}'))
    assert fetch_json("GET", "https://p.vn", error=PeerDown, timeout=1) == {"id": 7}


def test_http_reason_codes():
    assert [http_reason(s) for s in (401, 403, 429, 500, 418)] == [
        "unauthorised",
        "unauthorised",
        "rate_limited",
        "peer_error",
        "rejected",
    ]


def test_the_peer_url_and_settings_come_from_the_caller_or_the_settings(settings):
    settings.MOTCUA_TEST_URL = "https://peer.example.vn/api/"
    settings.MOTCUA_TEST_TOKEN = "configured"
    assert service_url(None, "MOTCUA_TEST_URL") == "https://peer.example.vn/api"
    assert service_url("http://other.vn/", "MOTCUA_TEST_URL") == "http://other.vn"
    with pytest.raises(ImproperlyConfigured, match="MOTCUA_TEST_URL must be an https URL"):
        service_url("http://other.vn/", "MOTCUA_TEST_URL", https_only=True)
    for bad in ("file:///etc/passwd", "ftp://peer.vn"):
        with pytest.raises(ImproperlyConfigured, match="http\\(s\\) URL"):
            service_url(bad, "MOTCUA_TEST_URL")
    settings.MOTCUA_TEST_URL = ""
    with pytest.raises(ImproperlyConfigured):
        service_url(None, "MOTCUA_TEST_URL")
    assert setting(None, "MOTCUA_TEST_TOKEN") == "configured"
    assert setting("", "MOTCUA_TEST_TOKEN") == ""  # an explicit value wins, even empty
    assert setting(None, "MOTCUA_TEST_ABSENT", 10) == 10
