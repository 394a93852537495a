"""The broker stopped mid-run and started again (SPEC §3 item 23): nothing is lost and nothing
is sent twice. A private Redis without persistence stands for the broker, so that killing it
drops every task it held, as a crashed broker would; the machine's Redis is not touched.

Messages are committed and handed to a real worker; the broker is killed while some of their
tasks are queued and one is being delivered; more messages are committed while it is down, and
their transactions succeed; the broker comes back empty and the sweep (the ``outbox`` job)
delivers what its lost tasks did not. Each message reaches the peer once, with its idempotency
key, and is sent once.

Needs a server database (``DATABASE_URL``), as the worker is a separate process, and
``redis-server`` on this machine."""

import shutil
import signal
import socket
import subprocess
import threading
import time
from types import SimpleNamespace

import pytest
from django.db import connection

from motcua.celery import app
from motcua.outbox import tasks
from motcua.outbox.models import OutboxMessage

from .peer import commit, deliveries, sent, wait_until

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker processes need a server database (DATABASE_URL)",
    ),
    pytest.mark.skipif(not shutil.which(REDIS_SERVER), reason="redis-server is not installed"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture
def private_redis(tmp_path):
    """A Redis of this test alone, keeping nothing on disk: ``start()`` (again on the same
    port), ``kill()``, ``pause()`` and ``resume()``; killed at the end whatever happens."""
    port = _free_port()
    state = SimpleNamespace(port=port, url=f"redis://127.0.0.1:{port}/0", process=None)
    data = tmp_path / "redis"
    data.mkdir()

    def start():
        state.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(data)],
            cwd=data,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        assert wait_until(lambda: _listening(port), timeout=10), "redis-server did not start"

    def kill():
        state.process.kill()
        state.process.wait(timeout=10)
        assert not _listening(port)

    def pause():
        state.process.send_signal(signal.SIGSTOP)

    def resume():
        state.process.send_signal(signal.SIGCONT)

    state.start, state.kill, state.pause, state.resume = start, kill, pause, resume
    start()
    yield state
    if state.process.poll() is None:
        kill()


@pytest.fixture
def broker_url(private_redis):
    return private_redis.url


@pytest.fixture
def broker(worker_queue):
    """A queue of its own on the private broker, for this test and its worker."""
    return worker_queue


def _queued() -> int:
    with app.connection_for_write() as conn:
        return conn.default_channel.client.llen(app.conf.task_default_queue)


def _worker_listens() -> bool:
    """The worker has declared its queue on the broker again (it reconnected)."""
    queue = app.conf.task_default_queue
    with app.connection_for_write() as conn:
        return bool(conn.default_channel.client.exists(f"_kombu.binding.{queue}"))


def test_a_broker_killed_mid_run_loses_nothing_and_sends_nothing_twice(
    private_redis, workers, caplog
):
    deadline = time.monotonic() + 50  # every wait below within it: the test ends in < 60 s

    def left() -> float:
        return max(deadline - time.monotonic(), 0.0)

    workers.start(delay=0.3)
    before = [f"before-{n}" for n in range(12)]
    commit(*before)
    assert wait_until(lambda: len(deliveries(workers.log)) >= 2, timeout=left()), workers.errors()
    assert _queued() > 0, "some tasks are still queued when the broker dies"

    private_redis.kill()
    during = [f"during-{n}" for n in range(5)]
    for key in during:  # each in its own transaction, each committed
        begun = time.monotonic()
        (row,) = commit(key)
        assert time.monotonic() - begun < 5, "a commit does not hang on the broker"
        assert OutboxMessage.objects.get(pk=row.pk).status == OutboxMessage.Status.PENDING
    assert "wait for the sweep" in caplog.text
    in_flight = set(before) - set(deliveries(workers.log))
    assert in_flight, "the broker took tasks with it"

    private_redis.start()  # empty: the tasks it held are gone
    assert wait_until(_worker_listens, timeout=left()), workers.errors()
    tasks.sweep.delay()
    keys = before + during
    assert wait_until(lambda: sent(keys), timeout=left()), workers.errors()
    assert wait_until(lambda: _queued() == 0, timeout=left())
    time.sleep(1)  # anything still given twice would reach the peer now

    received = deliveries(workers.log)
    assert sorted(received) == sorted(keys), "each message reached the peer exactly once"
    assert sorted(deliveries(workers.log, "acted")) == sorted(keys)
    rows = OutboxMessage.objects.filter(key__in=keys)
    assert {(row.status, row.attempts) for row in rows} == {(OutboxMessage.Status.SENT, 1)}


def test_a_stalled_broker_holds_a_commit_up_for_seconds_only(private_redis, workers, caplog):
    """The broker accepts connections but answers nothing (stopped, or cut off): the commit
    returns after the broker timeout, and the task it may still have queued, the sweep and
    each other do not send the message twice."""
    deadline = time.monotonic() + 50

    def left() -> float:
        return max(deadline - time.monotonic(), 0.0)

    workers.start()
    commit("first")
    assert wait_until(lambda: sent(["first"]), timeout=left()), workers.errors()

    private_redis.pause()
    committed = {}

    def business_transaction():
        try:
            (row,) = commit("stalled")
            committed["status"] = OutboxMessage.objects.get(pk=row.pk).status
        finally:
            connection.close()

    committing = threading.Thread(target=business_transaction)
    committing.start()
    try:
        committing.join(timeout=15)
        assert not committing.is_alive(), "the commit waits out the broker timeout, no more"
    finally:
        private_redis.resume()
        committing.join(timeout=left())
    assert committed == {"status": OutboxMessage.Status.PENDING}
    assert "wait for the sweep" in caplog.text

    tasks.sweep.delay()
    assert wait_until(lambda: sent(["first", "stalled"]), timeout=left()), workers.errors()
    assert wait_until(lambda: _queued() == 0, timeout=left())
    time.sleep(1)
    assert sorted(deliveries(workers.log)) == ["first", "stalled"]
    assert OutboxMessage.objects.get(key="stalled").attempts == 1
