"""Online payment of a dossier's fees (SPEC §3 item 5; BN 14.4, VP 15, TN 20.2).

The payer starts a payment and is sent to the gateway; only the gateway's signed
server-to-server callback settles it. A verified successful callback records the fee on the
dossier (``dossiers.services.record_payment``) in the same transaction, which opens the
engine's fee gate (SPEC §2 "Fees"); anything else changes nothing and is logged.
"""

from __future__ import annotations

import logging
import secrets
from collections import Counter
from collections.abc import Mapping
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.dossiers import services as dossier_services
from motcua.dossiers.access import is_applicant
from motcua.dossiers.errors import ActionForbidden, RuleViolation
from motcua.dossiers.models import OPEN_STATES, Dossier

from . import gateways
from .gateways import GatewayResult, GatewayUnavailable, PaymentGateway, PaymentRejected
from .models import Payment

logger = logging.getLogger(__name__)


def paid_payment(dossier: Dossier) -> Payment | None:
    """The dossier's successful online payment, if any."""
    return dossier.payments.filter(status=Payment.Status.PAID).first()


def check_payable(dossier: Dossier) -> None:
    """Fees are paid online once the dossier is submitted and until it is finished, once
    (VP 15.4, TN 20.2); otherwise :class:`RuleViolation`."""
    if dossier.status not in OPEN_STATES:
        raise RuleViolation(
            _("Fees are paid online once the dossier is submitted and until it is settled."),
            code="not_payable",
        )
    if dossier.fee_due <= 0:
        raise RuleViolation(_("This dossier has no fee to pay."), code="no_fee")
    if dossier.fee_paid_at is not None or paid_payment(dossier) is not None:
        raise RuleViolation(_("The fee of this dossier has already been paid."), code="fee_paid")


def new_reference() -> str:
    """``MC`` + the local time to the second + 8 random hexadecimal digits: unique, and
    made of the letters and digits every gateway accepts."""
    now = timezone.localtime(timezone.now(), gateways.GATEWAY_TZ)
    return f"MC{now:%y%m%d%H%M%S}{secrets.token_hex(4).upper()}"


def start(
    dossier: Dossier,
    payer: User,
    *,
    return_url: str,
    client_ip: str = "",
    gateway: PaymentGateway | None = None,
) -> tuple[Payment, str]:
    """A pending payment of the dossier's fees and the gateway URL to send the payer to.
    Only the applicant (or whoever submitted under their authorisation, HG 5.6) pays."""
    gateway = gateway or gateways.get_gateway()
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure")
            .get(pk=dossier.pk)
        )
        if not is_applicant(payer, locked):
            raise ActionForbidden()
        check_payable(locked)
        fees = list(locked.procedure.fees.all())
        payment = Payment.objects.create(
            dossier=locked,
            payer=payer,
            amount=sum(fee.amount for fee in fees),
            items=[{"name": fee.name, "amount": fee.amount} for fee in fees],
            reference=new_reference(),
            gateway=gateway.name,
        )
        url = gateway.start(payment, return_url, client_ip=client_ip)
    logger.info("Payment %s started for dossier %s", payment.reference, locked.code)
    return payment, url


def confirm(
    params: Mapping[str, str], *, gateway: PaymentGateway | None = None, source: str = ""
) -> str:
    """Act on the gateway's server-to-server callback; the stable code of what was done
    (``confirmed``) or why nothing was (``bad_signature``, ``unknown_reference``,
    ``wrong_dossier``, ``amount_mismatch``, ``already_confirmed``, ``malformed``).

    Idempotent per transaction: a replay of the same signed callback changes nothing and
    is answered as the first time. The fee is recorded only on the gateway's signed
    confirmation (TN 20.2). ``source`` (the caller's address) goes into the log."""
    gateway = gateway or gateways.get_gateway()
    reference = str(params.get("vnp_TxnRef", ""))[:40]
    try:
        result = gateway.verify(params)
        with transaction.atomic():
            return _settle(result, gateway)
    except PaymentRejected as rejection:
        logger.warning(
            "Payment callback rejected: %s (reference %r, from %s, %s)",
            rejection.reason,
            reference,
            source or "unknown",
            rejection.detail or "no detail",
        )
        return rejection.reason


def _settle(result: GatewayResult, gateway: PaymentGateway) -> str:
    payment = (
        Payment.objects.select_for_update()
        .filter(reference=result.reference, gateway=gateway.name)
        .first()
    )
    if payment is None:
        raise PaymentRejected(gateways.UNKNOWN_REFERENCE)
    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=payment.dossier_id)
    if result.dossier_code != dossier.code:
        raise PaymentRejected(gateways.WRONG_DOSSIER, f"payment of {dossier.code}")
    if result.amount != payment.amount:
        raise PaymentRejected(gateways.AMOUNT_MISMATCH, f"{result.amount} for {payment.amount}")
    if payment.status != Payment.Status.PENDING and payment.callback:
        if payment.callback == result.params:
            return payment.answer  # a replay: answered as the first time
        raise PaymentRejected(gateways.ALREADY_CONFIRMED, payment.reference)

    # Pending, or given up without a word from the gateway: its first signed word settles it.
    now = timezone.now()
    payment.gateway_transaction = result.transaction
    payment.verified_at = now
    payment.callback = result.params
    payment.answer = gateways.CONFIRMED
    if result.outcome != gateways.PAID:
        payment.status = (
            Payment.Status.CANCELLED
            if result.outcome == gateways.CANCELLED
            else Payment.Status.FAILED
        )
    elif dossier.fee_paid_at is not None or paid_payment(dossier) is not None:
        # Paid twice (another attempt, or at the desk meanwhile): this one is not the fee.
        payment.status = Payment.Status.CANCELLED
        payment.answer = gateways.ALREADY_CONFIRMED
        logger.error(
            "Dossier %s was already paid; payment %s (gateway transaction %s) must be refunded",
            dossier.code,
            payment.reference,
            result.transaction,
        )
    else:
        payment.status = Payment.Status.PAID
        try:
            dossier_services.record_payment(
                dossier, amount=payment.amount, reference=payment.reference, at=now
            )
        except RuleViolation as violation:
            reason = (
                gateways.AMOUNT_MISMATCH if violation.code == "amount_mismatch" else violation.code
            )
            raise PaymentRejected(reason, "the dossier refused it") from violation
    payment.save()
    logger.info(
        "Payment %s of dossier %s: %s (gateway code %s)",
        payment.reference,
        dossier.code,
        payment.status,
        result.response_code,
    )
    return payment.answer


#: Attempts are reconciled once the gateway can no longer complete them.
RECONCILE_AFTER = gateways.PAYMENT_WINDOW + timedelta(minutes=5)


def reconcile(*, gateway: PaymentGateway | None = None, now=None) -> Counter:
    """Settle the attempts whose callback never came by asking the gateway (nothing is
    lost when a peer is down, SPEC §3 item 23); an attempt the gateway never completed is
    closed as cancelled. Counts of what was done, by code. Run by ``reconcile_payments``."""
    gateway = gateway or gateways.get_gateway()
    now = now or timezone.now()
    stale = Payment.objects.filter(
        status=Payment.Status.PENDING, gateway=gateway.name, created_at__lt=now - RECONCILE_AFTER
    ).select_related("dossier")
    done = Counter()
    for payment in stale.order_by("id"):
        try:
            result = gateway.query(payment)
            with transaction.atomic():
                done[_settle(result, gateway) if result else _give_up(payment)] += 1
        except GatewayUnavailable as failure:
            done[failure.reason] += 1
        except PaymentRejected as rejection:
            logger.error(
                "Payment %s: the gateway's record was refused: %s (%s)",
                payment.reference,
                rejection.reason,
                rejection.detail,
            )
            done[rejection.reason] += 1
    return done


def _give_up(payment: Payment) -> str:
    locked = Payment.objects.select_for_update().get(pk=payment.pk)
    if locked.status != Payment.Status.PENDING:
        return "settled_meanwhile"
    locked.status = Payment.Status.CANCELLED
    locked.save(update_fields=["status"])
    logger.info("Payment %s was never completed at the gateway", locked.reference)
    return gateways.EXPIRED


def returning(params: Mapping[str, str], user: User, *, gateway: PaymentGateway | None = None):
    """The payment the payer's browser comes back with: its signature is checked and it is
    looked up, but its state is read from our records, never from the browser.
    ``PaymentRejected`` for a bad signature, ``Payment.DoesNotExist`` for a payment that
    is not there or not the user's."""
    gateway = gateway or gateways.get_gateway()
    result = gateway.verify(params)
    payment = Payment.objects.select_related("dossier", "dossier__procedure").get(
        reference=result.reference, gateway=gateway.name
    )
    if not is_applicant(user, payment.dossier):
        raise Payment.DoesNotExist
    return payment
