"""Online payments of a dossier's fees through a payment gateway (SPEC §3 item 5; BN 14.4,
VP 15, TN 20.2): one row per attempt, settled only by the gateway's signed callback."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Payment(models.Model):
    """One attempt to pay a dossier's fees online. A dossier has at most one paid attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the gateway")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("payer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    items = models.JSONField(
        _("fees paid"),
        default=list,
        blank=True,
        help_text=_("The procedure's fees when the payment started: name and amount."),
    )
    reference = models.CharField(_("transaction reference"), max_length=34, unique=True)
    gateway = models.CharField(_("payment gateway"), max_length=32)
    gateway_transaction = models.CharField(
        _("gateway transaction number"), max_length=64, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    verified_at = models.DateTimeField(_("confirmed by the gateway at"), null=True, blank=True)
    callback = models.JSONField(
        _("verified callback"),
        default=dict,
        blank=True,
        help_text=_("The gateway's signed parameters, as received and verified."),
    )
    answer = models.CharField(
        _("answer to the gateway"),
        max_length=24,
        blank=True,
        help_text=_("What the System answered the callback; a replay is answered alike."),
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(status="paid"),
                name="one_paid_payment_per_dossier",
            )
        ]

    def __str__(self):
        return f"{self.reference} ({self.get_status_display()})"
