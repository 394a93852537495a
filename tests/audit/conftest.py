from contextlib import contextmanager

import pytest
from django.db import connection

from tests.dossiers.conftest import world  # noqa: F401 — the shared small province


@pytest.fixture
def tamper():
    """Raw SQL on the audit table, past the PostgreSQL trigger (as its owner could)."""

    @contextmanager
    def raw():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            yield cursor
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")

    return raw
