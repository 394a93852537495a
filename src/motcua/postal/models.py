"""Results sent by the public postal service (SPEC §3 item 15; BN 8.3, BN 28): the item
booked for a dossier and what the postal service reported about it."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Shipment(models.Model):
    """One result handed to the postal service, from its booking to its delivery."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting booking")
        BOOKED = "booked", _("Booked")
        IN_TRANSIT = "in_transit", _("In transit")
        DELIVERED = "delivered", _("Delivered")
        RETURNED = "returned", _("Returned to the sender")
        REJECTED = "rejected", _("Refused by the postal service")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="shipments",
    )
    recipient_name = models.CharField(_("recipient"), max_length=255)
    recipient_address = models.CharField(_("delivery address"), max_length=500)
    recipient_phone = models.CharField(_("recipient's phone"), max_length=15)
    fee = models.PositiveIntegerField(
        _("postal fee (VND)"),
        null=True,
        blank=True,
        help_text=_("As charged by the postal service at booking."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)
    booking_key = models.CharField(
        _("booking key"),
        max_length=128,
        unique=True,
        help_text=_("Sent with the booking so that the postal service books the item once."),
    )
    problem = models.TextField(_("problem"), blank=True)
    created_at = models.DateTimeField(_("handed over at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    booked_at = models.DateTimeField(_("booked at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last news at"), null=True, blank=True)

    class Meta:
        ordering = ["dossier", "id"]
        verbose_name = _("postal shipment")
        verbose_name_plural = _("postal shipments")
        constraints = [
            models.UniqueConstraint(
                fields=["tracking_number"],
                condition=~Q(tracking_number=""),
                name="unique_tracking_number",
            )
        ]

    def __str__(self):
        return self.tracking_number or f"{self.dossier} ({self.get_status_display()})"


class ShipmentEvent(models.Model):
    """What happened to a shipment: its booking, and each status notice of the postal
    service (``notice_id`` is the service's own id, so a repeated notice is recorded once)."""

    shipment = models.ForeignKey(
        Shipment, verbose_name=_("shipment"), on_delete=models.PROTECT, related_name="events"
    )
    status = models.CharField(_("status"), max_length=12, choices=Shipment.Status.choices)
    at = models.DateTimeField(_("time"))
    location = models.CharField(_("place"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    notice_id = models.CharField(_("notice id"), max_length=128, blank=True)

    class Meta:
        ordering = ["shipment", "at", "id"]
        verbose_name = _("shipment event")
        verbose_name_plural = _("shipment events")
        constraints = [
            models.UniqueConstraint(
                fields=["notice_id"], condition=~Q(notice_id=""), name="unique_postal_notice"
            )
        ]

    def __str__(self):
        return f"{self.shipment}: {self.get_status_display()}"
