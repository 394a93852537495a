"""Delivering outbox messages (SPEC §3 item 23): each topic has one handler; a message is
tried until its handler returns, with exponential backoff between attempts, and becomes a dead
letter after ``MOTCUA_OUTBOX_MAX_ATTEMPTS`` failures or at once on a :class:`PermanentFailure`.

The handler receives the message, whose ``key`` it passes on as the idempotency key, so a peer
never acts twice on one message even if a send is repeated after a crash. Topics with no handler
yet stay pending. On the embedded default (``MOTCUA_OUTBOX_IN_PROCESS``) the messages of a
transaction are delivered in-process right after it commits; otherwise their ids are handed to
the Celery workers then (:mod:`motcua.outbox.tasks`), and the periodic sweep sends whatever a
broker outage kept from them. A rolled-back transaction leaves no row, so nothing is sent for
it. The row lock taken with ``skip_locked`` and the status guard in :func:`deliver` keep two
workers, or a task given again after a worker died before acknowledging it, off a message that
is being or has been delivered."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

Handler = Callable[[OutboxMessage], None]
HANDLERS: dict[str, Handler] = {}


class PermanentFailure(Exception):
    """The message can never be delivered (e.g. the peer rejects it as invalid)."""


def handles(topic: str) -> Callable[[Handler], Handler]:
    """Register the handler of a topic (one per topic)."""

    def register(handler: Handler) -> Handler:
        if HANDLERS.get(topic, handler) is not handler:
            raise ValueError(f"Topic {topic!r} already has a handler.")
        HANDLERS[topic] = handler
        return handler

    return register


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt: base × 2^(attempts-1), capped."""
    seconds = settings.MOTCUA_OUTBOX_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.MOTCUA_OUTBOX_MAX_DELAY))


def deliver(message_id: int) -> str | None:
    """Try one due message once; returns its new status, or None when it was not due, is
    being delivered by another worker, or its topic has no handler."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(
                pk=message_id,
                status=OutboxMessage.Status.PENDING,
                available_at__lte=timezone.now(),
                topic__in=list(HANDLERS),
            )
            .first()
        )
        if message is None:
            return None
        message.attempts += 1
        try:
            HANDLERS[message.topic](message)
        except Exception as error:  # every failure is recorded on the message
            _failed(message, error)
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
        message.save(update_fields=["status", "attempts", "sent_at", "last_error", "available_at"])
        return message.status


def _failed(message: OutboxMessage, error: Exception) -> None:
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    permanent = isinstance(error, PermanentFailure)
    if permanent or message.attempts >= settings.MOTCUA_OUTBOX_MAX_ATTEMPTS:
        message.status = OutboxMessage.Status.DEAD
        logger.error("outbox message %s is a dead letter: %s", message.key, message.last_error)
    else:
        message.available_at = timezone.now() + backoff(message.attempts)
        logger.warning("outbox message %s failed (attempt %s)", message.key, message.attempts)


def deliver_pending(limit: int = 500) -> Counter:
    """One sweep over the due messages whose topics have handlers, oldest first."""
    due = (
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.PENDING,
            available_at__lte=timezone.now(),
            topic__in=list(HANDLERS),
        )
        .order_by("available_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return deliver_each(list(due))


def deliver_each(ids: Iterable[int]) -> Counter:
    outcomes = Counter()
    for pk in ids:
        outcomes[deliver(pk) or "skipped"] += 1
    return outcomes


def retry(message: OutboxMessage) -> None:
    """An operator sends a dead letter back to the queue."""
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.DEAD).update(
        status=OutboxMessage.Status.PENDING, attempts=0, available_at=timezone.now()
    )


def deliver_after_commit(messages: list[OutboxMessage]) -> None:
    """Once their transaction commits, deliver these messages in-process on the embedded
    default, or hand them to the Celery workers (called by
    :func:`motcua.outbox.services.enqueue`)."""
    if not messages:
        return
    ids = [m.pk for m in messages]
    if settings.MOTCUA_OUTBOX_IN_PROCESS:
        transaction.on_commit(lambda: _deliver_quietly(ids))
    else:
        transaction.on_commit(lambda: _hand_to_workers(ids))


def _hand_to_workers(ids: list[int]) -> None:
    """Give the ids to the workers. The rows are committed: whatever the broker does not
    take (down, or refusing writes when full) waits, pending, for the periodic sweep, and the
    request that caused the messages is not failed by it."""
    from kombu.exceptions import OperationalError

    from .tasks import deliver_message  # the broker is only known where workers run

    handed = 0
    try:
        for pk in ids:
            deliver_message.delay(pk)
            handed += 1
    except OperationalError:
        logger.warning("broker unreachable; outbox messages %s wait for the sweep", ids[handed:])
    except Exception:
        logger.exception("broker refused; outbox messages %s wait for the sweep", ids[handed:])


def _deliver_quietly(ids: list[int]) -> None:
    try:
        deliver_each(ids)
    except Exception:  # the request that caused the messages has succeeded; a sweep retries
        logger.exception("in-process outbox delivery failed")
