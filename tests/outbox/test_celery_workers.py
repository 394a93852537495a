"""The outbox with real Celery workers on the real Redis broker (SPEC §3 item 23): a message
committed with in-process delivery off is delivered by a worker; one committed while the
broker is down is delivered by the sweep later; two workers never deliver one message twice,
even when its task is given twice; a worker killed after the peer acted but before it
acknowledged leaves the message to be delivered again, with the same idempotency key, so the
peer does not act twice.

The workers are separate processes reading the test database, so a server database is needed
(``DATABASE_URL``), and Redis at ``MOTCUA_BROKER_URL`` (default redis://127.0.0.1:6379/0)."""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection, transaction

from motcua.celery import app
from motcua.outbox import tasks
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import Message, enqueue

TOPIC = "test.worker"
ROOT = Path(__file__).resolve().parents[2]


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


def _use(broker_url: str, queue: str) -> None:
    """Point this process's Celery app at a broker and queue (its pools and routes are
    made again on the next send)."""
    app.conf.broker_url = broker_url
    app.conf.task_default_queue = queue
    app._pool = None
    app.__dict__.pop("amqp", None)


@pytest.fixture
def broker(monkeypatch):
    """A queue of its own on the real broker, for this test and its workers."""
    queue = f"motcua-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setattr(settings, "MOTCUA_OUTBOX_IN_PROCESS", False)
    _use(settings.CELERY_BROKER_URL, queue)
    yield queue
    with app.connection_for_write() as conn:  # leave nothing of this test on the broker
        client = conn.default_channel.client
        for tag, raw in client.hgetall("unacked").items():
            if queue.encode() in raw:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    _use(settings.CELERY_BROKER_URL, settings.CELERY_TASK_DEFAULT_QUEUE)


@pytest.fixture
def workers(broker, tmp_path):
    """Worker processes on the test database: ``start(count)``, the ``processes``, the
    peer's ``log`` of deliveries and the workers' ``errors``."""
    started: list[subprocess.Popen] = []
    log = tmp_path / "peer.log"
    log.touch()
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )

    def start(count=1, delay=0.0, visibility_timeout=3600):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "motcua.settings.test",
            "DATABASE_URL": database_url,
            "MOTCUA_BROKER_URL": settings.CELERY_BROKER_URL,
            "MOTCUA_CELERY_QUEUE": broker,
            "MOTCUA_DATA_DIR": str(tmp_path),
            "MOTCUA_TEST_PEER_LOG": str(log),
            "MOTCUA_TEST_PEER_DELAY": str(delay),
            "MOTCUA_BROKER_VISIBILITY_TIMEOUT": str(visibility_timeout),
            "PYTHONPATH": str(ROOT),
        }
        for i in range(count):
            started.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "tests.outbox.worker_app",
                        "worker",
                        "--pool=solo",
                        f"--hostname=w{i}-{broker}@%h",
                        "--without-mingle",
                        "--without-gossip",
                        "--loglevel=WARNING",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=(tmp_path / f"worker{i}.err").open("w"),
                )
            )

    def errors() -> str:
        return "\n".join(p.read_text()[-3000:] for p in sorted(tmp_path.glob("worker*.err")))

    yield SimpleNamespace(start=start, log=log, errors=errors, processes=started)
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _commit(*keys: str) -> list[OutboxMessage]:
    with transaction.atomic():
        return enqueue(*(Message(TOPIC, key, {"n": 1}) for key in keys))


def _wait_until(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _sent(keys) -> bool:
    return OutboxMessage.objects.filter(
        key__in=keys, status=OutboxMessage.Status.SENT
    ).count() == len(keys)


def _deliveries(log: Path, what: str = "received") -> list[str]:
    """The keys the peer received (or acted on), in order."""
    return [key for kind, key, _pid in map(str.split, log.read_text().splitlines()) if kind == what]


def test_a_committed_message_is_delivered_by_a_worker(workers):
    workers.start()
    (row,) = _commit("w-1")
    assert _wait_until(lambda: _sent(["w-1"])), workers.errors()
    row.refresh_from_db()
    assert row.attempts == 1
    assert _deliveries(workers.log) == ["w-1"]


def test_a_message_committed_while_the_broker_is_down_is_swept_later(broker, workers, caplog):
    _use("redis://127.0.0.1:1/0", broker)  # nothing listens there
    _commit("w-down")
    assert "wait for the sweep" in caplog.text
    _use(settings.CELERY_BROKER_URL, broker)  # the broker is back
    workers.start()
    time.sleep(2)
    assert OutboxMessage.objects.get(key="w-down").status == OutboxMessage.Status.PENDING
    tasks.sweep.delay()
    assert _wait_until(lambda: _sent(["w-down"])), workers.errors()
    assert _deliveries(workers.log) == ["w-down"]


def test_two_workers_never_deliver_one_message_twice(workers):
    workers.start(count=2, delay=0.05)
    keys = [f"w-{n}" for n in range(30)]
    rows = _commit(*keys)
    for row in rows:  # each task given again, as after a worker died before acknowledging
        tasks.deliver_message.delay(row.pk)
    tasks.sweep.delay()
    tasks.sweep.delay()
    assert _wait_until(lambda: _sent(keys)), workers.errors()
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        assert _wait_until(lambda: client.llen(app.conf.task_default_queue) == 0)
    time.sleep(2)  # let the last duplicates run
    deliveries = _deliveries(workers.log)
    assert sorted(deliveries) == sorted(keys), "each message reached the peer exactly once"
    assert set(OutboxMessage.objects.filter(key__in=keys).values_list("attempts", flat=True)) == {1}


def test_a_worker_killed_before_acknowledging_does_not_make_the_peer_act_twice(workers):
    """The peer has acted but the worker dies before its transaction commits and before it
    acknowledges the task: the message is delivered again, with the same idempotency key."""
    workers.start(delay=60, visibility_timeout=5)
    _commit("w-killed")
    assert _wait_until(lambda: _deliveries(workers.log) == ["w-killed"]), workers.errors()
    workers.processes[0].kill()
    workers.processes[0].wait()
    assert OutboxMessage.objects.get(key="w-killed").status == OutboxMessage.Status.PENDING

    workers.start()
    tasks.sweep.delay()  # the task is also given again once its visibility timeout passes
    assert _wait_until(lambda: _sent(["w-killed"])), workers.errors()
    time.sleep(7)  # past the visibility timeout: a redelivered task finds the message sent
    assert _deliveries(workers.log) == ["w-killed", "w-killed"]
    assert _deliveries(workers.log, "acted") == ["w-killed"]
    assert OutboxMessage.objects.get(key="w-killed").attempts == 1
