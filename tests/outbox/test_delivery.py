"""Outbox delivery: retries with backoff, dead letters, idempotent keys, nothing sent for a
rolled-back transaction (SPEC §3 item 23)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from motcua.outbox import delivery
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import Message, enqueue

pytestmark = pytest.mark.django_db

TOPIC = "test.delivery"


@pytest.fixture
def peer(monkeypatch):
    """A peer that records what it received by idempotency key, failing as told."""

    class Peer:
        received: dict[str, dict] = {}
        failures: list[Exception] = []

        def __call__(self, message):
            if self.failures:
                raise self.failures.pop(0)
            self.received.setdefault(message.key, message.payload)

    instance = Peer()
    instance.received, instance.failures = {}, []
    monkeypatch.setitem(delivery.HANDLERS, TOPIC, instance)
    return instance


def _enqueue(key="k1", payload=None) -> OutboxMessage:
    with transaction.atomic():
        (message,) = enqueue(Message(TOPIC, key, payload or {"n": 1}))
    return message


def test_a_due_message_is_sent_once(peer):
    message = _enqueue()
    assert delivery.deliver_pending()["sent"] == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1 and message.sent_at is not None
    assert peer.received == {"k1": {"n": 1}}
    assert delivery.deliver_pending() == {}


def test_a_failure_waits_with_exponential_backoff(peer, settings):
    settings.MOTCUA_OUTBOX_BACKOFF_SECONDS = 30
    peer.failures = [ConnectionError("down"), ConnectionError("still down")]
    message = _enqueue()
    before = timezone.now()
    assert delivery.deliver_pending()["pending"] == 1
    message.refresh_from_db()
    assert message.attempts == 1 and "ConnectionError: down" in message.last_error
    assert before + timedelta(seconds=29) < message.available_at
    assert delivery.deliver_pending() == {}, "not due again before the backoff"

    OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())
    delivery.deliver_pending()
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.available_at - timezone.now() > timedelta(seconds=55)


def test_backoff_doubles_and_is_capped(settings):
    settings.MOTCUA_OUTBOX_BACKOFF_SECONDS = 30
    settings.MOTCUA_OUTBOX_MAX_DELAY = 3600
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert delivery.backoff(20).total_seconds() == 3600


def test_repeated_failures_become_a_dead_letter_an_operator_can_retry(peer, settings):
    settings.MOTCUA_OUTBOX_MAX_ATTEMPTS = 2
    peer.failures = [TimeoutError("slow"), TimeoutError("slow")]
    message = _enqueue()
    delivery.deliver_pending()
    OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())
    delivery.deliver_pending()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DEAD and message.attempts == 2

    delivery.retry(message)
    assert delivery.deliver_pending()["sent"] == 1
    assert peer.received == {"k1": {"n": 1}}


def test_a_permanent_failure_is_dead_at_once(peer):
    peer.failures = [delivery.PermanentFailure("rejected")]
    message = _enqueue()
    delivery.deliver_pending()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DEAD and message.attempts == 1


def test_topics_without_a_handler_wait(peer):
    with transaction.atomic():
        (orphan,) = enqueue(Message("nobody.listens", "o1", {}))
    assert delivery.deliver_pending() == {}
    orphan.refresh_from_db()
    assert orphan.status == OutboxMessage.Status.PENDING and orphan.attempts == 0


def test_a_rolled_back_transaction_sends_nothing(peer, django_capture_on_commit_callbacks):
    class Abort(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        enqueue(Message(TOPIC, "lost", {}))
        raise Abort
    assert callbacks == []
    assert not OutboxMessage.objects.filter(key="lost").exists()
    assert delivery.deliver_pending() == {} and peer.received == {}


def test_in_process_delivery_runs_after_commit(peer, settings, django_capture_on_commit_callbacks):
    settings.MOTCUA_OUTBOX_IN_PROCESS = True
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            enqueue(Message(TOPIC, "now", {"n": 2}))
        assert peer.received == {}, "nothing is sent before the commit"
    assert peer.received == {"now": {"n": 2}}


def test_without_in_process_delivery_a_worker_sends(
    peer, settings, django_capture_on_commit_callbacks
):
    settings.MOTCUA_OUTBOX_IN_PROCESS = False
    with django_capture_on_commit_callbacks(execute=True):
        _enqueue("later")
    assert peer.received == {}
    delivery.deliver_pending()
    assert peer.received == {"later": {"n": 1}}


def test_the_in_process_path_survives_a_failing_peer(
    peer, settings, django_capture_on_commit_callbacks
):
    settings.MOTCUA_OUTBOX_IN_PROCESS = True
    peer.failures = [ConnectionError("down")]
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue("flaky")
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING and message.attempts == 1


def test_one_handler_per_topic():
    delivery.handles("test.single")(print)
    with pytest.raises(ValueError):
        delivery.handles("test.single")(repr)
    delivery.HANDLERS.pop("test.single")


def test_the_command_sweeps(peer, capsys):
    from django.core.management import call_command

    _enqueue("swept")
    call_command("deliver_outbox")
    assert "sent: 1" in capsys.readouterr().out
    assert "swept" in peer.received
