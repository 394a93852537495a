"""Handing committed messages to the Celery workers (SPEC §3 item 23): never on the embedded
default, after the commit otherwise, and a broker outage leaves them to the sweep."""

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError

from motcua.outbox import delivery, tasks
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import Message, enqueue

pytestmark = pytest.mark.django_db

TOPIC = "test.tasks"


@pytest.fixture
def peer(monkeypatch):
    received = []
    monkeypatch.setitem(delivery.HANDLERS, TOPIC, lambda m: received.append(m.key))
    return received


def _commit(*keys):
    with transaction.atomic():
        return enqueue(*(Message(TOPIC, key, {}) for key in keys))


def test_the_embedded_default_never_sends_a_task(
    peer, broker, settings, django_capture_on_commit_callbacks
):
    settings.MOTCUA_OUTBOX_IN_PROCESS = True
    with django_capture_on_commit_callbacks(execute=True):
        _commit("a")
    assert broker == [] and peer == ["a"]


def test_workers_get_the_ids_after_the_commit(
    peer, broker, settings, django_capture_on_commit_callbacks
):
    settings.MOTCUA_OUTBOX_IN_PROCESS = False
    with django_capture_on_commit_callbacks(execute=True):
        rows = _commit("a", "b")
        assert broker == [], "nothing is handed over before the commit"
    assert broker == [r.pk for r in rows] and peer == []

    assert tasks.deliver_message(rows[0].pk) == OutboxMessage.Status.SENT
    assert tasks.deliver_message(rows[0].pk) is None, "a task given twice does nothing"
    assert peer == ["a"]


def test_a_broker_outage_at_commit_leaves_the_message_to_the_sweep(
    peer, settings, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    settings.MOTCUA_OUTBOX_IN_PROCESS = False

    def down(message_id):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.deliver_message, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = _commit("kept")
    assert "wait for the sweep" in caplog.text
    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.PENDING
    assert tasks.sweep() == {"sent": 1} and peer == ["kept"]


def test_a_broker_refusing_a_task_does_not_fail_the_committed_change(
    peer, settings, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    """A broker that is up but refuses writes (Redis out of memory) raises no error into the
    request: the message handed before it is with the workers, the rest wait for the sweep."""
    from redis.exceptions import ResponseError

    settings.MOTCUA_OUTBOX_IN_PROCESS = False
    handed = []

    def full(message_id):
        if handed:
            raise ResponseError("OOM command not allowed when used memory > 'maxmemory'.")
        handed.append(message_id)

    monkeypatch.setattr(tasks.deliver_message, "delay", full)
    with django_capture_on_commit_callbacks(execute=True):
        first, second = _commit("handed", "refused")
    assert handed == [first.pk]
    assert f"outbox messages [{second.pk}] wait for the sweep" in caplog.text
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count() == 2
    assert tasks.sweep() == {"sent": 2} and sorted(peer) == ["handed", "refused"]
