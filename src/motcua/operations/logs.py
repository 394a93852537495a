"""Structured logs (STYLE: one event per line with the request id): a JSON formatter chosen
with ``MOTCUA_LOG_FORMAT=json`` and the middleware that gives every request its id.

The formatter is loaded by ``logging.config`` before the apps are ready: it imports no model.
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

#: The request being served by this thread or task, for the log lines it causes.
current_request: ContextVar = ContextVar("motcua_request", default=None)

#: An incoming X-Request-ID is kept only if it looks like an identifier.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

#: Attributes every LogRecord has; anything else was passed with ``extra=``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def request_context() -> dict:
    """The request id and, once authentication has looked, the signed-in user's id."""
    request = current_request.get()
    if request is None:
        return {}
    context = {"request_id": getattr(request, "request_id", None)}
    # Only a user already loaded: a log line never causes a database query.
    user = request.__dict__.get("_cached_user")
    if user is not None and user.is_authenticated:
        context["user_id"] = user.pk
    return context


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, user id
    and the fields given with ``extra=``."""

    def format(self, record: logging.LogRecord) -> str:
        event = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        event.update(request_context())
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in event:
                event[key] = value
        if record.exc_info:
            event["exception"] = self.formatException(record.exc_info)
        return json.dumps(event, ensure_ascii=False, default=str)


class RequestIdMiddleware:
    """Keeps the caller's ``X-Request-ID`` (a load balancer's) or makes one, puts it on the
    request, in every log line while the request is served, and on the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response["X-Request-ID"] = request.request_id
        return response
