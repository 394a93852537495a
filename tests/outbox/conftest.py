"""Fixtures of the outbox tests. By default the commit hands message ids to a list instead of a
broker; the modules that start real Celery workers override ``broker`` with ``worker_queue``."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection

from motcua.celery import app
from motcua.outbox import tasks

from .peer import use_broker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def broker(monkeypatch):
    """What the commit hands to the workers, instead of a real broker (the tests that start
    real workers override this fixture)."""
    sent: list[int] = []
    monkeypatch.setattr(tasks.deliver_message, "delay", sent.append)
    return sent


@pytest.fixture
def broker_url():
    """The broker of the worker tests: the machine's Redis, shared with other runs."""
    return settings.CELERY_BROKER_URL


@pytest.fixture
def worker_queue(monkeypatch, broker_url):
    """A queue of its own on ``broker_url``, for this test and its workers; in-process
    delivery off, so that commits hand their messages to the workers."""
    queue = f"motcua-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setattr(settings, "MOTCUA_OUTBOX_IN_PROCESS", False)
    use_broker(broker_url, queue)
    yield queue
    if broker_url == settings.CELERY_BROKER_URL:  # leave nothing of this test on the broker
        with app.connection_for_write() as conn:
            client = conn.default_channel.client
            for tag, raw in client.hgetall("unacked").items():
                if queue.encode() in raw:
                    client.hdel("unacked", tag)
                    client.zrem("unacked_index", tag)
            client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    use_broker(settings.CELERY_BROKER_URL, settings.CELERY_TASK_DEFAULT_QUEUE)


@pytest.fixture
def workers(worker_queue, broker_url, tmp_path):
    """Worker processes on the test database and ``broker_url``: ``start(count)``, the
    ``processes``, the peer's ``log`` of deliveries and the workers' ``errors``."""
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
            "MOTCUA_BROKER_URL": broker_url,
            "MOTCUA_CELERY_QUEUE": worker_queue,
            "MOTCUA_DATA_DIR": str(tmp_path),
            "MOTCUA_TEST_PEER_LOG": str(log),
            "MOTCUA_TEST_PEER_DELAY": str(delay),
            "MOTCUA_BROKER_VISIBILITY_TIMEOUT": str(visibility_timeout),
            "PYTHONPATH": str(ROOT),
        }
        for _ in range(count):
            i = len(started)
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
                        f"--hostname=w{i}-{worker_queue}@%h",
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
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
