from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One notice sent to an applicant on one channel: the record that it went out, and the
    guard that a repeated outbox delivery never sends it twice (SPEC §3 items 9, 23)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        ZALO = "zalo", _("Zalo")

    message_key = models.CharField(_("outbox message"), max_length=128)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    recipient = models.CharField(_("sent to"), max_length=255)
    text = models.TextField(_("text"))
    provider_reference = models.CharField(_("provider reference"), max_length=128, blank=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["message_key", "channel"], name="one_notification_per_channel"
            )
        ]

    def __str__(self):
        return f"{self.channel} → {self.recipient}"
