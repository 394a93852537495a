"""Writing to the outbox. Delivery (workers, retries, dead letters) reads these rows."""

from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction

from .delivery import deliver_after_commit
from .models import OutboxMessage


class OutboxOutsideTransaction(RuntimeError):
    """An outbox message must be written in the transaction of the change that causes it."""


@dataclass(frozen=True)
class Message:
    topic: str
    key: str  # idempotency key, unique: a peer never acts twice on one message
    payload: dict


def enqueue(*messages: Message) -> list[OutboxMessage]:
    """Record messages to send, in the caller's transaction, in one statement."""
    if not connection.in_atomic_block:
        raise OutboxOutsideTransaction(", ".join(m.topic for m in messages))
    rows = OutboxMessage.objects.bulk_create(
        OutboxMessage(topic=m.topic, key=m.key, payload=m.payload) for m in messages
    )
    deliver_after_commit(rows)
    return rows


def enqueue_once(message: Message) -> OutboxMessage | None:
    """Record a message unless one with its key already exists (jobs that may run twice at
    once, each warning once); returns ``None`` for a repeat. The unique key decides a race."""
    if OutboxMessage.objects.filter(key=message.key).exists():
        return None
    try:
        with transaction.atomic():
            (row,) = enqueue(message)
    except IntegrityError:
        return None
    return row
