"""Readiness of an instance for a load balancer or an orchestrator (SPEC §3 item 23): the
database reachable and fully migrated, the file storage writable, the broker reachable when
background work goes through one; the outbox backlog and dead letters are reported without
making the instance unready (they are the operators' business, not the balancer's)."""

import logging
import os
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from motcua.outbox.models import OutboxMessage

logger = logging.getLogger(__name__)

#: A pending message older than this counts as late in the report.
LATE_AFTER = timedelta(hours=1)


def database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    executor = MigrationExecutor(connection)
    unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if unapplied:
        return {"ok": False, "unapplied_migrations": len(unapplied)}
    return {"ok": True}


def storage() -> dict:
    name = default_storage.save(f"readiness/{uuid.uuid4().hex}", ContentFile(b"ready"))
    default_storage.delete(name)
    return {"ok": True}


def broker_in_use() -> bool:
    """Background work goes through the broker: outbox delivery is not in-process, or a
    broker is named in the environment."""
    return not settings.MOTCUA_OUTBOX_IN_PROCESS or bool(os.environ.get("MOTCUA_BROKER_URL"))


def broker() -> dict:
    from kombu import Connection

    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    ) as conn:
        conn.ensure_connection(max_retries=1, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)
    return {"ok": True}


def outbox() -> dict:
    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
    return {
        "ok": True,
        "pending": pending.count(),
        "late": pending.filter(created_at__lt=timezone.now() - LATE_AFTER).count(),
        "dead_letters": OutboxMessage.objects.filter(status=OutboxMessage.Status.DEAD).count(),
    }


def report() -> tuple[bool, dict]:
    """(ready, the result of each check). A check that fails says only what kind of error it
    met; the details go to the log."""
    checks = {"database": database, "storage": storage}
    if broker_in_use():
        checks["broker"] = broker
    results = {}
    for name, check in checks.items():
        started = time.monotonic()
        try:
            result = check()
        except Exception as error:
            logger.warning("readiness check failed", extra={"check": name, "error": repr(error)})
            result = {"ok": False, "error": type(error).__name__}
        result["ms"] = round((time.monotonic() - started) * 1000, 1)
        results[name] = result
    ready = all(r["ok"] for r in results.values())
    if results["database"]["ok"]:
        try:
            results["outbox"] = outbox()
        except Exception as error:
            logger.warning("outbox report failed", extra={"error": repr(error)})
            results["outbox"] = {"ok": False, "error": type(error).__name__}
    return ready, results
