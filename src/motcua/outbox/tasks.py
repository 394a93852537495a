"""Celery tasks of the outbox (SPEC §3 item 23). Both are acknowledged only after they ran
(``acks_late``): a worker that dies mid-task leaves the task to another, and :func:`deliver`
makes the repeat harmless — it skips a message that is locked or already sent, and a handler
passes the message's idempotency key to the peer, so the peer never acts twice."""

from motcua.celery import app

from .delivery import deliver, deliver_pending


@app.task(name="motcua.outbox.deliver", acks_late=True)
def deliver_message(message_id: int) -> str | None:
    """Deliver one message handed over after its transaction committed."""
    return deliver(message_id)


@app.task(name="motcua.outbox.sweep", acks_late=True)
def sweep(limit: int = 500) -> dict[str, int]:
    """Deliver every due message: retries after backoff, and those the broker missed."""
    return dict(deliver_pending(limit))
