"""The outbox with real Celery workers on the real Redis broker (SPEC §3 item 23): a message
committed with in-process delivery off is delivered by a worker; one committed while the
broker is down is delivered by the sweep later; two workers never deliver one message twice,
even when its task is given twice; a worker killed after the peer acted but before it
acknowledged leaves the message to be delivered again, with the same idempotency key, so the
peer does not act twice.

The workers are separate processes reading the test database, so a server database is needed
(``DATABASE_URL``), and Redis at ``MOTCUA_BROKER_URL`` (default redis://127.0.0.1:6379/0)."""

import socket
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection

from motcua.celery import app
from motcua.outbox import tasks
from motcua.outbox.models import OutboxMessage

from .peer import commit, deliveries, sent, use_broker, wait_until


def _redis_reachable() -> bool:
    url = urlsplit(settings.CELERY_BROKER_URL)
    try:
        socket.create_connection((url.hostname, url.port or 6379), timeout=1).close()
    except OSError:
        return False
    return url.scheme.startswith("redis")


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker processes need a server database (DATABASE_URL)",
    ),
    pytest.mark.skipif(
        not _redis_reachable(), reason=f"Redis not reachable at {settings.CELERY_BROKER_URL}"
    ),
]


@pytest.fixture
def broker(worker_queue):
    """A queue of its own on the real broker, for this test and its workers."""
    return worker_queue


def test_a_committed_message_is_delivered_by_a_worker(workers):
    workers.start()
    (row,) = commit("w-1")
    assert wait_until(lambda: sent(["w-1"])), workers.errors()
    row.refresh_from_db()
    assert row.attempts == 1
    assert deliveries(workers.log) == ["w-1"]


def test_a_message_committed_while_the_broker_is_down_is_swept_later(broker, workers, caplog):
    use_broker("redis://127.0.0.1:1/0", broker)  # nothing listens there
    commit("w-down")
    assert "wait for the sweep" in caplog.text
    use_broker(settings.CELERY_BROKER_URL, broker)  # the broker is back
    workers.start()
    time.sleep(2)
    assert OutboxMessage.objects.get(key="w-down").status == OutboxMessage.Status.PENDING
    tasks.sweep.delay()
    assert wait_until(lambda: sent(["w-down"])), workers.errors()
    assert deliveries(workers.log) == ["w-down"]


def test_two_workers_never_deliver_one_message_twice(workers):
    workers.start(count=2, delay=0.05)
    keys = [f"w-{n}" for n in range(30)]
    rows = commit(*keys)
    for row in rows:  # each task given again, as after a worker died before acknowledging
        tasks.deliver_message.delay(row.pk)
    tasks.sweep.delay()
    tasks.sweep.delay()
    assert wait_until(lambda: sent(keys)), workers.errors()
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        assert wait_until(lambda: client.llen(app.conf.task_default_queue) == 0)
    time.sleep(2)  # let the last duplicates run
    received = deliveries(workers.log)
    assert sorted(received) == sorted(keys), "each message reached the peer exactly once"
    assert set(OutboxMessage.objects.filter(key__in=keys).values_list("attempts", flat=True)) == {1}


def test_a_worker_killed_before_acknowledging_does_not_make_the_peer_act_twice(workers):
    """The peer has acted but the worker dies before its transaction commits and before it
    acknowledges the task: the message is delivered again, with the same idempotency key."""
    workers.start(delay=60, visibility_timeout=5)
    commit("w-killed")
    assert wait_until(lambda: deliveries(workers.log) == ["w-killed"]), workers.errors()
    workers.processes[0].kill()
    workers.processes[0].wait()
    assert OutboxMessage.objects.get(key="w-killed").status == OutboxMessage.Status.PENDING

    workers.start()
    tasks.sweep.delay()  # the task is also given again once its visibility timeout passes
    assert wait_until(lambda: sent(["w-killed"])), workers.errors()
    time.sleep(7)  # past the visibility timeout: a redelivered task finds the message sent
    assert deliveries(workers.log) == ["w-killed", "w-killed"]
    assert deliveries(workers.log, "acted") == ["w-killed"]
    assert OutboxMessage.objects.get(key="w-killed").attempts == 1
