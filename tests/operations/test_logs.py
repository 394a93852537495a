"""Structured logs: one JSON object per line with the request id and user id, and the
request id kept from the caller or made up and returned."""

import json
import logging
import os
import subprocess
import sys

from django.http import HttpResponse
from django.test import RequestFactory

from motcua.operations.logs import JsonFormatter, RequestIdMiddleware


def _line(record_logger, message, **extra):
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(JsonFormatter().format(record))

    handler = Keep()
    record_logger.addHandler(handler)
    try:
        record_logger.warning(message, extra=extra)
    finally:
        record_logger.removeHandler(handler)
    return records[0]


def test_a_line_outside_a_request_is_one_json_object():
    line = _line(logging.getLogger("motcua.test"), "outbox sent %s", dossier="H06.01-250101-0001")
    assert "\n" not in line
    event = json.loads(line)
    assert event["level"] == "WARNING"
    assert event["logger"] == "motcua.test"
    assert event["message"] == "outbox sent %s"
    assert event["dossier"] == "H06.01-250101-0001"
    assert event["time"].endswith("+00:00")
    assert "request_id" not in event


def test_a_line_inside_a_request_carries_its_id_and_the_user(world):
    seen = {}

    def view(request):
        request._cached_user = world.specialist
        seen["line"] = _line(logging.getLogger("motcua.dossiers"), "received", step=2)
        return HttpResponse("ok")

    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="lb-7f3a")
    response = RequestIdMiddleware(view)(request)
    assert response["X-Request-ID"] == "lb-7f3a"
    event = json.loads(seen["line"])
    assert event["request_id"] == "lb-7f3a"
    assert event["user_id"] == world.specialist.pk
    assert event["step"] == 2


def test_an_exception_is_formatted_in_the_line():
    logger = logging.getLogger("motcua.test")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logger.makeRecord(
            "motcua.test", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    event = json.loads(JsonFormatter().format(record))
    assert "RuntimeError: boom" in event["exception"]


def test_a_request_id_is_made_when_none_or_a_bad_one_is_given(client, db):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second
    bad = client.get("/healthz", headers={"X-Request-ID": "a b\r\nSet-Cookie: x"})
    assert bad["X-Request-ID"] != "a b\r\nSet-Cookie: x" and len(bad["X-Request-ID"]) == 32
    kept = client.get("/healthz", headers={"X-Request-ID": "0b7c1e2e-lb"})
    assert kept["X-Request-ID"] == "0b7c1e2e-lb"


def test_json_is_selected_by_the_environment(tmp_path):
    code = (
        "import logging, django; django.setup(); "
        "logging.getLogger('motcua.probe').warning('hello', extra={'n': 1})"
    )
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="motcua.settings.test",
        MOTCUA_DATA_DIR=str(tmp_path),
    )
    plain = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert plain.stderr.strip() == "hello"
    env["MOTCUA_LOG_FORMAT"] = "json"
    as_json = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    event = json.loads(as_json.stderr.strip())
    assert event["message"] == "hello" and event["n"] == 1 and event["logger"] == "motcua.probe"
