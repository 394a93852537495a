from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A message to the outside world, written in the same transaction as the state change
    that causes it and delivered later by a worker (SPEC §3 item 23)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        DEAD = "dead", _("Dead letter")

    topic = models.CharField(_("topic"), max_length=64)
    key = models.CharField(
        _("idempotency key"),
        max_length=128,
        unique=True,
        help_text=_("Sent with the message so that a peer never acts twice on it."),
    )
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    available_at = models.DateTimeField(_("next attempt at"), auto_now_add=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [models.Index(fields=["status", "available_at"])]

    def __str__(self):
        return f"{self.topic} {self.key}"
