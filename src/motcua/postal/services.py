"""Returning results by the public postal service (SPEC §3 item 15; BN 8.3, BN 28.3, TN 2.6).

The dossier's return and the order of its shipment are one transaction that calls no one:
:func:`order_shipment` writes the shipment and a ``postal.book`` outbox message; the outbox
worker then books the item through the adapter (:func:`book_shipment`) with the message's
idempotency key, and the postal service reports its progress to :func:`record_notice`.
"""

from __future__ import annotations

import hmac
import logging
import re
import time
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.documents.context import applicant_name, desk_for
from motcua.dossiers.errors import RuleViolation
from motcua.dossiers.models import Dossier
from motcua.outbox.delivery import PermanentFailure
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import Message, enqueue

from .adapters import Party, PostalServiceError, ShipmentOrder, get_service, signature
from .models import Shipment, ShipmentEvent

logger = logging.getLogger(__name__)

BOOK_TOPIC = "postal.book"
PHONE = re.compile(r"^0\d{9,10}$")
#: How old a signed status notice may be, in seconds (a replayed old notice is refused).
NOTICE_TOLERANCE = 300

#: The status only moves forward; delivered, returned and refused are final.
PROGRESS = {
    Shipment.Status.PENDING: 0,
    Shipment.Status.BOOKED: 1,
    Shipment.Status.IN_TRANSIT: 2,
    Shipment.Status.DELIVERED: 3,
    Shipment.Status.RETURNED: 3,
    Shipment.Status.REJECTED: 3,
}
#: What the postal service may report about an item it has booked.
NOTICE_STATUSES = (
    Shipment.Status.IN_TRANSIT,
    Shipment.Status.DELIVERED,
    Shipment.Status.RETURNED,
)


def _phone(text: str) -> str:
    digits = re.sub(r"[\s.\-]", "", text or "")
    return "0" + digits[3:] if digits.startswith("+84") else digits


def recipient_for(dossier: Dossier, entered: Party | None = None) -> Party:
    """Who receives the result: what the officer entered at the desk, field by field, else
    the applicant as declared on the dossier (the e-form's name, address and phone, the
    account's name and phone)."""
    entered = entered or Party("", "", "")
    form = dossier.form_data
    name = entered.name.strip() or applicant_name(dossier)
    address = entered.address.strip() or str(form.get("address") or "").strip()
    phone = _phone(entered.phone) or _phone(str(form.get("phone") or "")) or dossier.applicant.phone
    errors = {}
    if not name:
        errors["recipient_name"] = [_("Required.")]
    if not address:
        errors["recipient_address"] = [_("Required.")]
    if not PHONE.match(phone):
        errors["recipient_phone"] = [_("Enter a Vietnamese phone number.")]
    if errors:
        raise RuleViolation(
            _("Give the recipient's name, address and phone for the postal service."),
            code="recipient_incomplete",
            fields=errors,
        )
    return Party(name, address, phone)


def order_shipment(
    dossier: Dossier, *, recipient: Party | None, by: User | None, at: datetime
) -> Shipment:
    """Hand the result to the postal service, in the caller's transaction: the shipment and
    its booking message are written together, or neither is."""
    party = recipient_for(dossier, recipient)
    shipment = Shipment(
        dossier=dossier,
        recipient_name=party.name,
        recipient_address=party.address,
        recipient_phone=party.phone,
        created_at=at,
        created_by=by,
    )
    shipment.booking_key = f"{BOOK_TOPIC}:{shipment.public_id}"
    shipment.save()
    # No personal data in the message: the worker reads the shipment.
    enqueue(
        Message(
            BOOK_TOPIC,
            shipment.booking_key,
            {"shipment": str(shipment.public_id), "dossier": dossier.code},
        )
    )
    return shipment


def _order(shipment: Shipment) -> ShipmentOrder:
    dossier = shipment.dossier
    desk = desk_for(dossier.agency)
    sender = Party(
        name=desk.name if desk else dossier.agency.name,
        address=(desk.address if desk else "") or dossier.agency.address,
        phone=(desk.phone if desk else "") or dossier.agency.phone,
    )
    return ShipmentOrder(
        dossier_code=dossier.code,
        sender=sender,
        recipient=Party(
            shipment.recipient_name, shipment.recipient_address, shipment.recipient_phone
        ),
        content=f"Kết quả giải quyết thủ tục hành chính, hồ sơ {dossier.code}",
    )


def _record(
    shipment: Shipment, status: str, at: datetime, *, location="", note="", notice_id=""
) -> None:
    """One event of the shipment, and its status when the event moves it forward."""
    ShipmentEvent.objects.create(
        shipment=shipment,
        status=status,
        at=at,
        location=location,
        note=note,
        notice_id=notice_id,
    )
    if PROGRESS[status] > PROGRESS[shipment.status]:
        shipment.status = status
        shipment.updated_at = at
    shipment.save()


def book_shipment(message: OutboxMessage) -> None:
    """Outbox handler of ``postal.book``: book the item with the message's key as the
    idempotency key and store its tracking number. A shipment no longer awaiting booking is
    left alone, so a repeated message books nothing; an outage raises (the outbox retries);
    a refusal is recorded on the shipment and is a :class:`PermanentFailure`."""
    with transaction.atomic():
        shipment = (
            Shipment.objects.select_for_update(of=("self",))
            .select_related("dossier__agency")
            .filter(booking_key=message.key)
            .first()
        )
        if shipment is None:
            raise PermanentFailure(f"No shipment for {message.key}.")
        if shipment.status != Shipment.Status.PENDING:
            return
        now = timezone.now()
        try:
            booking = get_service().book(_order(shipment), key=message.key)
        except PostalServiceError as error:
            if not error.permanent:
                raise
            shipment.problem = str(error)
            _record(shipment, Shipment.Status.REJECTED, now, note=str(error))
            refusal = error
        else:
            shipment.tracking_number = booking.tracking_number
            shipment.fee = booking.fee
            shipment.booked_at = now
            _record(shipment, Shipment.Status.BOOKED, now)
            logger.info(
                "dossier %s: postal item %s booked", shipment.dossier.code, booking.tracking_number
            )
            return
    raise PermanentFailure(str(refusal)) from refusal


def authentic_notice(body: bytes, timestamp: str, given: str) -> bool:
    """A status notice signed by the postal service with ``MOTCUA_POSTAL_WEBHOOK_SECRET``
    within the last :data:`NOTICE_TOLERANCE` seconds. Without a secret nothing is
    authentic."""
    secret = getattr(settings, "MOTCUA_POSTAL_WEBHOOK_SECRET", "")
    if not secret or not timestamp.isdigit():
        return False
    if abs(time.time() - int(timestamp)) > NOTICE_TOLERANCE:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), given)


def record_notice(
    *,
    notice_id: str,
    tracking_number: str,
    status: str,
    at: datetime,
    location: str = "",
    note: str = "",
) -> tuple[Shipment, bool]:
    """A status notice of the postal service, recorded once per notice id (a repeated notice
    changes nothing and returns ``False``). The status only moves forward: a late "in
    transit" after "delivered" is kept in the history only. Raises
    ``Shipment.DoesNotExist`` for an unknown tracking number."""
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().get(tracking_number=tracking_number)
        if ShipmentEvent.objects.filter(notice_id=notice_id).exists():
            return shipment, False
        _record(shipment, status, at, location=location, note=note, notice_id=notice_id)
    return shipment, True
