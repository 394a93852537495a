"""Appending to the audit log and checking its chain (SPEC §3 item 25).

:func:`record` joins the caller's transaction: the entry commits or rolls back with the
action it records. The chain stays one line under concurrency because appending holds one
lock (a transaction-level advisory lock on PostgreSQL; SQLite already serialises writers)
from reading the head to commit. Call it last in a transaction, after the rows it locks,
so the lock is held for the shortest time and never while waiting for another row.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from .models import GENESIS, AuditEntry

#: Key of the PostgreSQL advisory lock that serialises appends ("AUDITLOG" in ASCII).
LOCK_KEY = 0x4155444954_4C4F47


def _actor(actor) -> tuple[int | None, str]:
    if actor is None:
        return None, ""
    if isinstance(actor, models.Model) and getattr(actor, "is_authenticated", False):
        return actor.pk, actor.get_username()
    return None, str(actor)[:150]


def _target(target) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower[:64], str(target.pk)[:64]
    kind, _colon, ident = str(target).partition(":")
    return kind[:64], ident[:64]


def _plain(details: dict | None) -> dict:
    """Details as they read back from the JSON column (dates, UUIDs, decimals as text)."""
    return json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder))


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def actor_of(request):
    """Who makes a request: the signed-in user, else the API key it came with, else None."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    return getattr(request, "auth", None)


def record(actor, action: str, target=None, details: dict | None = None, request=None):
    """Append one entry: who (a user, or a label such as an API key's; by default whoever
    makes ``request``), what, on what (a model instance, or ``"type:id"``), with which
    details, from which address."""
    if actor is None and request is not None:
        actor = actor_of(request)
    actor_id, actor_label = _actor(actor)
    target_type, target_id = _target(target)
    entry = AuditEntry(
        actor_id=actor_id,
        actor_label=actor_label,
        action=action[:64],
        target_type=target_type,
        target_id=target_id,
        details=_plain(details),
        ip=(request.META.get("REMOTE_ADDR") or "")[:45] if request is not None else "",
    )
    with transaction.atomic():
        _lock_chain()
        head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        entry.seq, entry.prev_hash = head if head else (0, GENESIS)
        entry.seq += 1
        entry.at = timezone.now()
        entry.hash = entry.compute_hash()
        entry.save()
    return entry


@dataclass(frozen=True)
class Break:
    """The first broken link: the entry at ``seq`` does not follow from the one before."""

    seq: int
    reason: str  # "missing" (entries before it deleted), "link" or "content"

    def __str__(self):
        return {
            "missing": f"entry {self.seq}: the entries before it are missing",
            "link": f"entry {self.seq}: does not follow the entry before it",
            "content": f"entry {self.seq}: its content does not match its hash",
        }[self.reason]


@dataclass(frozen=True)
class Verdict:
    count: int
    head: str
    broken: Break | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def _entries(batch: int) -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("seq").iterator(chunk_size=batch)


def verify(batch: int = 2000) -> Verdict:
    """Walk the chain from the first entry and stop at the first broken link."""
    expected_seq, previous, count = 1, GENESIS, 0
    for entry in _entries(batch):
        if entry.seq != expected_seq:
            return Verdict(count, previous, Break(entry.seq, "missing"))
        if entry.prev_hash != previous:
            return Verdict(count, previous, Break(entry.seq, "link"))
        if entry.compute_hash() != entry.hash:
            return Verdict(count, previous, Break(entry.seq, "content"))
        expected_seq, previous, count = entry.seq + 1, entry.hash, count + 1
    return Verdict(count, previous, None)
