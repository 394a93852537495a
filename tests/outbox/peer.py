"""What the worker tests share: pointing Celery at a broker, committing messages for the test
peer of :mod:`tests.outbox.worker_app`, and reading what it received."""

import time
from pathlib import Path

from django.db import transaction

from motcua.celery import app
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import Message, enqueue

TOPIC = "test.worker"


def use_broker(broker_url: str, queue: str) -> None:
    """Point this process's Celery app at a broker and queue (its pools and routes are
    made again on the next send)."""
    app.conf.broker_url = broker_url
    app.conf.task_default_queue = queue
    app._pool = None
    app.__dict__.pop("amqp", None)


def commit(*keys: str) -> list[OutboxMessage]:
    """Messages for the test peer, in one committed transaction."""
    with transaction.atomic():
        return enqueue(*(Message(TOPIC, key, {"n": 1}) for key in keys))


def wait_until(condition, timeout=60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def sent(keys) -> bool:
    return OutboxMessage.objects.filter(
        key__in=keys, status=OutboxMessage.Status.SENT
    ).count() == len(keys)


def deliveries(log: Path, what: str = "received") -> list[str]:
    """The keys the peer received (or acted on), in order."""
    return [key for kind, key, _pid in map(str.split, log.read_text().splitlines()) if kind == what]
