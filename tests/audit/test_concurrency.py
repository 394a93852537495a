"""Appends from many connections at once stay one chain (PostgreSQL: the advisory lock)."""

import pytest
from django.db import connection

from motcua.audit.models import AuditEntry
from motcua.audit.services import record, verify
from motcua.dossiers import services
from tests.dossiers.conftest import at
from tests.dossiers.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs a server database (DATABASE_URL)"
    ),
]


def test_simultaneous_appends_keep_one_chain(db):
    def append(i):
        for n in range(10):
            record(None, "test.append", None, {"thread": i, "n": n})

    run_together(append, 12)
    verdict = verify()
    assert verdict.intact and verdict.count == 120
    assert list(AuditEntry.objects.values_list("seq", flat=True)) == list(range(1, 121))


def test_simultaneous_dossier_actions_keep_one_chain(world):
    w = world
    drafts = [
        services.create_draft(w.permit, applicant=w.citizen, form_data=dict(w.form))
        for _ in range(10)
    ]
    before = AuditEntry.objects.count()
    moment = at("2026-03-02T09:00:00+07:00")
    results = run_together(lambda i: services.submit(drafts[i], w.citizen, at=moment).code, 10)
    assert all(isinstance(code, str) for code in results), results
    assert AuditEntry.objects.filter(action="dossier.submit").count() == 10
    assert AuditEntry.objects.count() == before + 10
    assert verify().intact
