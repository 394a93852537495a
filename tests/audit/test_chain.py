"""The audit log is one hash chain that shows any change, deletion or insertion (SPEC §3
item 25; TN 11)."""

import hashlib
import itertools
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from motcua.accounts.models import User
from motcua.audit.models import GENESIS, AuditEntry, ImmutableAuditLog
from motcua.audit.services import record, verify
from motcua.catalogue.models import Agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(db):
    return User.objects.create(username="tiepnhan", kind=User.Kind.STAFF)


@pytest.fixture
def agency(db):
    return Agency.objects.create(code="000.00.90.H06", name="Trung tâm PVHCC", level="center")


@pytest.fixture
def chain(officer, agency):
    for i in range(5):
        record(officer, "test.step", agency, {"i": i, "note": "Bước một"})
    return list(AuditEntry.objects.order_by("seq"))


def test_entries_are_chained_in_order_and_verify(chain, officer, agency):
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    assert chain[0].prev_hash == GENESIS
    for previous, entry in itertools.pairwise(chain):
        assert entry.prev_hash == previous.hash
    first = chain[0]
    assert (first.actor_id, first.actor_label) == (officer.pk, "tiepnhan")
    assert (first.target_type, first.target_id) == ("catalogue.agency", str(agency.pk))
    # The hash is SHA-256 over the canonical content, previous hash included.
    assert first.hash == hashlib.sha256(first.canonical()).hexdigest()
    assert json.loads(first.canonical())[-1] == GENESIS
    verdict = verify()
    assert verdict.intact and verdict.count == 5 and verdict.head == chain[-1].hash


def test_the_command_reports_an_intact_chain(chain):
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "5 entries" in out.getvalue() and chain[-1].hash in out.getvalue()


def test_an_empty_log_verifies():
    assert verify().intact and verify().count == 0


def test_details_read_back_as_hashed(db):
    """Dates, UUIDs and decimals are stored as text, so the hash survives the round trip."""
    from datetime import datetime
    from decimal import Decimal
    from uuid import uuid4

    record(None, "test.types", None, {"at": datetime(2026, 3, 2), "id": uuid4(), "n": Decimal(1)})
    assert verify().intact


def test_the_model_refuses_changes_and_deletions(chain):
    entry = chain[2]
    entry.action = "changed"
    with pytest.raises(ImmutableAuditLog):
        entry.save()
    with pytest.raises(ImmutableAuditLog):
        entry.delete()
    with pytest.raises(ImmutableAuditLog):
        AuditEntry.objects.filter(seq=3).update(action="changed")
    with pytest.raises(ImmutableAuditLog):
        AuditEntry.objects.filter(seq=3).delete()
    assert verify().intact


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_changes_by_any_sql(chain):
    for sql in (
        "UPDATE audit_auditentry SET action = 'changed' WHERE seq = 3",
        "DELETE FROM audit_auditentry WHERE seq = 3",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert verify().intact


def _broken_at(seq, reason, *, good=None):
    verdict = verify()
    assert verdict.broken is not None, "the tampering went unnoticed"
    assert (verdict.broken.seq, verdict.broken.reason) == (seq, reason)
    assert verdict.count == (seq - 1 if good is None else good)
    with pytest.raises(CommandError, match=f"entry {seq}") as error:
        call_command("verify_audit")
    assert error.value.returncode == 1


def test_an_altered_entry_is_reported_at_its_link(chain, tamper):
    with tamper() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'forged' WHERE seq = 3")
    _broken_at(3, "content")


def test_an_altered_entry_with_a_recomputed_hash_breaks_the_next_link(chain, tamper):
    forged = AuditEntry.objects.get(seq=3)
    forged.details = {"i": 99}
    with tamper() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET details = %s, hash = %s WHERE seq = 3",
            [json.dumps(forged.details), forged.compute_hash()],
        )
    _broken_at(4, "link")


def test_a_deleted_entry_is_reported_where_it_is_missing(chain, tamper):
    with tamper() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = 3")
    _broken_at(4, "missing", good=2)


def test_an_entry_inserted_in_the_middle_is_reported(chain, tamper):
    """A well-formed entry slipped in after entry 2 (later ones renumbered) breaks the link
    of the entry that follows it."""
    inserted = AuditEntry(
        seq=3,
        at=chain[2].at,
        actor_label="intruder",
        action="test.step",
        details={},
        prev_hash=chain[1].hash,
    )
    inserted.hash = inserted.compute_hash()
    with tamper() as cursor:
        for entry in reversed(chain[2:]):
            cursor.execute("UPDATE audit_auditentry SET seq = seq + 1 WHERE seq = %s", [entry.seq])
        cursor.execute(
            "INSERT INTO audit_auditentry (seq, at, actor_id, actor_label, action, target_type,"
            " target_id, details, ip, prev_hash, hash)"
            " VALUES (%s, %s, NULL, %s, %s, '', '', %s, '', %s, %s)",
            [
                3,
                inserted.at,
                "intruder",
                "test.step",
                "{}",
                inserted.prev_hash,
                inserted.hash,
            ],
        )
    _broken_at(4, "link")
