"""The Celery app of the worker processes the tests start: the System's own app, plus a peer
for the ``test.worker`` topic that logs each message it receives, and acts on it only the first
time it sees its idempotency key (as the real peers do), then takes ``MOTCUA_TEST_PEER_DELAY``
seconds more before returning."""

import os
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.test")
django.setup()

from motcua.celery import app  # noqa: E402
from motcua.outbox.delivery import handles  # noqa: E402

__all__ = ["app"]


@handles("test.worker")
def record(message):
    log = Path(os.environ["MOTCUA_TEST_PEER_LOG"])
    seen = log.read_text().split()
    with log.open("a") as out:
        out.write(f"received {message.key} {os.getpid()}\n")
        if message.key not in seen:
            out.write(f"acted {message.key} {os.getpid()}\n")
    time.sleep(float(os.environ.get("MOTCUA_TEST_PEER_DELAY", "0")))
