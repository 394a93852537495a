"""A fake national portal served over real HTTP on a loopback port, for the tests and the
demo of the production client (:class:`motcua.nationalportal.adapters.HttpNationalPortal`).

It checks each request's signature, records what it received, and can be told to fail the
next requests: ``"error"`` answers 500 without acting, ``"timeout"`` acts only after
``delay`` seconds — longer than the client waits, so the client never sees the answer and
sends again, and the idempotency key keeps the effect single.

>>> with FakePortalServer(FakePortalState()) as server:
...     server.fail("error", "timeout")
...     client = HttpNationalPortal(server.url, server.client_id, server.secret, timeout=0.2)
"""

from __future__ import annotations

import hmac
import json
import threading
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .adapters import FakePortalState, signature


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    key: str
    body: dict | None


class FakePortalServer:
    def __init__(
        self,
        state: FakePortalState,
        *,
        client_id: str = "motcua-test",
        secret: str = "national-portal-test-secret",
        delay: float = 1.0,
        port: int = 0,
    ):
        self.state = state
        self.client_id = client_id
        self.secret = secret
        self.delay = delay
        self.received: list[Received] = []
        self._faults: deque[tuple[str | None, str]] = deque()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def fail(self, *faults: str, path: str | None = None) -> None:
        """The next requests (to ``path`` only, if given) fail in this order: ``"error"``
        (500) or ``"timeout"``."""
        unknown = set(faults) - {"error", "timeout"}
        if unknown:
            raise ValueError(f"Unknown faults: {unknown}")
        with self._lock:
            self._faults.extend((path, fault) for fault in faults)

    def start(self) -> FakePortalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FakePortalServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _next_fault(self, path: str) -> str | None:
        with self._lock:
            for queued in self._faults:
                if queued[0] in (None, path):
                    self._faults.remove(queued)
                    return queued[1]
        return None

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self._serve()

            def do_POST(self):
                self._serve()

            def log_message(self, format, *args):
                """Requests are kept in ``server.received``, not printed."""

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if not self._signed(raw):
                    return self._answer(401, {"error": "bad signature"})
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    return self._answer(400, {"error": "not JSON"})
                key = self.headers.get("Idempotency-Key", "")
                url = urllib.parse.urlsplit(self.path)
                with server._lock:
                    server.received.append(Received(self.command, url.path, key, body))
                fault = server._next_fault(url.path)
                if fault == "error":
                    return self._answer(500, {"error": "internal error"})
                if fault == "timeout":
                    time.sleep(server.delay)
                status, answer = self._route(url, body, key)
                self._answer(status, answer)

            def _signed(self, raw: bytes) -> bool:
                expected = signature(
                    server.secret,
                    self.command,
                    self.path,
                    self.headers.get("X-Timestamp", ""),
                    raw,
                )
                return self.headers.get("X-Client-Id") == server.client_id and hmac.compare_digest(
                    expected, self.headers.get("X-Signature", "")
                )

            def _route(self, url, body, key):
                query = urllib.parse.parse_qs(url.query)

                def codes(name):
                    return [c for c in query.get(name, [""])[0].split(",") if c]

                state = server.state
                if self.command == "GET" and url.path == "/dossiers":
                    return 200, {"dossiers": state.pending_dossiers(codes("procedures"))}
                if self.command == "GET" and url.path == "/procedures":
                    return 200, {"procedures": state.procedures_for(codes("codes"))}
                if self.command == "POST" and url.path == "/dossier-status":
                    if not key or not isinstance(body, dict):
                        return 400, {"error": "a status record and an Idempotency-Key"}
                    try:
                        created = state.receive_status(key, body)
                    except ValueError as error:
                        return 422, {"error": str(error)}
                    return (201 if created else 200), {"key": key}
                if self.command == "POST" and url.path == "/dossiers/ack":
                    if not isinstance(body, dict):
                        return 400, {"error": "accepted and rejected dossiers"}
                    state.acknowledge(body.get("accepted", []), body.get("rejected", []))
                    return 200, {}
                return 404, {"error": "not found"}

            def _answer(self, status: int, answer: dict):
                data = json.dumps(answer, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    # The client stopped waiting (a "timeout" fault): the effect stands.
                    self.close_connection = True

        return Handler
