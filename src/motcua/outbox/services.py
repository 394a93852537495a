"""Writing to the outbox. Delivery (workers, retries, dead letters) reads these rows."""

from django.db import connection

from .models import OutboxMessage


class OutboxOutsideTransaction(RuntimeError):
    """An outbox message must be written in the transaction of the change that causes it."""


def enqueue(topic: str, key: str, payload: dict) -> OutboxMessage:
    """Record a message to send; ``key`` is its idempotency key (unique)."""
    if not connection.in_atomic_block:
        raise OutboxOutsideTransaction(topic)
    return OutboxMessage.objects.create(topic=topic, key=key, payload=payload)
