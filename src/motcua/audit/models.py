"""The tamper-evident audit log (SPEC §3 item 25; TN 11: level-3 system): every action by
anyone, appended as one hash chain. Entries are never changed nor deleted: the model refuses
it, and on PostgreSQL a trigger refuses it to any SQL (migration 0002)."""

import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The ``prev_hash`` of the first entry.
GENESIS = "0" * 64


class ImmutableAuditLog(RuntimeError):
    """The audit log is append-only."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableAuditLog("audit entries cannot be changed")

    def delete(self):
        raise ImmutableAuditLog("audit entries cannot be deleted")


class AuditEntry(models.Model):
    """One action. ``hash`` is the SHA-256 of :meth:`canonical`, which covers the whole
    content and ``prev_hash``, the hash of the entry before it (``seq - 1``)."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("at"))
    # No database constraint and nothing done on deletion: the id stays as it was recorded.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.actor_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableAuditLog("audit entries cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableAuditLog("audit entries cannot be deleted")

    def canonical(self) -> bytes:
        """The serialisation the hash covers: fixed field order, sorted keys, UTC time."""
        content = [
            "motcua-audit-1",
            self.seq,
            self.at.astimezone(UTC).isoformat(timespec="microseconds"),
            self.actor_id,
            self.actor_label,
            self.action,
            self.target_type,
            self.target_id,
            self.details,
            self.ip,
            self.prev_hash,
        ]
        return json.dumps(
            content, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()
