"""``/healthz`` stays the liveness probe; ``/readyz`` says whether the instance can serve
(SPEC §3 item 23)."""

import importlib
import sys

from django.core.files.storage import default_storage

from motcua.operations import readiness
from motcua.outbox.models import OutboxMessage
from motcua.settings import base


def test_liveness_is_unchanged(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_a_migrated_instance_is_ready_and_reports_its_outbox(client, db, settings):
    settings.MOTCUA_OUTBOX_IN_PROCESS = True
    OutboxMessage.objects.create(topic="t", key="k1", payload={})
    OutboxMessage.objects.create(topic="t", key="k2", payload={}, status="dead")
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"]["ok"] and body["checks"]["storage"]["ok"]
    assert "broker" not in body["checks"]
    outbox = body["checks"]["outbox"]
    assert (outbox["pending"], outbox["late"], outbox["dead_letters"]) == (1, 0, 1)
    assert response["Cache-Control"].startswith("max-age=0")
    # The storage probe leaves nothing behind.
    assert default_storage.listdir("readiness") == ([], [])


def test_unapplied_migrations_make_the_instance_unready(client, db, monkeypatch):
    class Executor:
        def __init__(self, connection):
            self.loader = type("L", (), {"graph": type("G", (), {"leaf_nodes": lambda s: []})()})

        def migration_plan(self, targets):
            return [("operations", "0002_future")]

    monkeypatch.setattr(readiness, "MigrationExecutor", Executor)
    response = client.get("/readyz")
    assert response.status_code == 503
    database = response.json()["checks"]["database"]
    assert database["ok"] is False and database["unapplied_migrations"] == 1


def test_an_unwritable_storage_makes_the_instance_unready(client, db, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(default_storage, "save", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "not_ready"
    storage = response.json()["checks"]["storage"]
    assert storage["ok"] is False and storage["error"] == "PermissionError"
    assert "read-only" not in response.content.decode()


def test_the_broker_is_checked_when_background_work_uses_it(client, db, settings, closed_port):
    settings.MOTCUA_OUTBOX_IN_PROCESS = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"
    settings.CELERY_BROKER_CONNECTION_TIMEOUT = 1
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


def test_a_reachable_broker_is_ready(client, db, settings):
    settings.MOTCUA_OUTBOX_IN_PROCESS = False
    settings.CELERY_BROKER_URL = "memory://"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"]["ok"] is True


def test_a_broker_named_in_the_environment_is_checked(db, settings, monkeypatch):
    settings.MOTCUA_OUTBOX_IN_PROCESS = True
    monkeypatch.delenv("MOTCUA_BROKER_URL", raising=False)
    assert not readiness.broker_in_use()
    monkeypatch.setenv("MOTCUA_BROKER_URL", "redis://broker:6379/0")
    assert readiness.broker_in_use()


def test_probes_over_plain_http_are_not_redirected_in_production(client, db, settings, monkeypatch):
    monkeypatch.setattr(base, "SECRET_KEY", "probe-test-key")
    monkeypatch.delitem(sys.modules, "motcua.settings.prod", raising=False)
    prod = importlib.import_module("motcua.settings.prod")
    monkeypatch.delitem(sys.modules, "motcua.settings.prod")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = prod.SECURE_REDIRECT_EXEMPT
    assert client.get("/readyz").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/thu-tuc/").status_code == 301
