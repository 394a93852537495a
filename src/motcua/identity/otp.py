"""Sign-in to a local applicant account with a phone number and a one-time code sent by SMS,
where the province allows it (VP 10.1: the account is confirmed by an OTP code sent to the
phone; profile ``sign_in.methods`` contains ``"phone_otp"``).

Codes are 6 random digits, kept only as a keyed hash, valid for ``MOTCUA_OTP_MINUTES``
(5) minutes and used once; a new code replaces the previous one. Guessing is limited
(TN 11, level-3 system): ``MOTCUA_OTP_MAX_WRONG`` (5) wrong codes in a row lock the number for
``MOTCUA_OTP_LOCK_MINUTES`` (15); an address gets ``MOTCUA_OTP_IP_WRONG_PER_HOUR`` (20) wrong
codes an hour; a number is sent ``MOTCUA_OTP_SENDS_PER_HOUR`` (5) codes an hour and an address
``MOTCUA_OTP_IP_SENDS_PER_HOUR`` (20). Codes and wrong-code records are kept only while a limit
can still count them (:func:`purge_codes`, the ``phone-codes`` job).

The code is sent straight away, not through the outbox: the applicant is waiting for it, a
failure must be shown at once, and the outbox would keep the code in clear.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.notifications.sms import SmsUnavailable, send_sms
from motcua.profiles import active_profile

from .models import ApplicantProfile, PhoneCode, PhoneGuard, WrongCode
from .services import PHONE, normalise_phone

logger = logging.getLogger(__name__)

#: The window of the hourly limits on codes sent and wrong codes typed.
RATE_WINDOW = timedelta(hours=1)

REFUSALS = {
    "bad_phone": _("Enter a Vietnamese mobile number, for example 0912345678."),
    "locked": _(
        "Too many wrong codes for this phone number. It is locked until %(until)s; "
        "try again after that."
    ),
    "too_many_sends": _(
        "Too many codes were sent to this phone number in the last hour. "
        "Please wait before asking for another one."
    ),
    "too_many_from_here": _(
        "Too many sign-in attempts from this connection in the last hour. Please try later."
    ),
    "sms_unavailable": _("The text message could not be sent just now. Please try again later."),
    "no_code": _("No code was sent to this phone number, or it was replaced. Ask for a new code."),
    "wrong": _("This code is not right. Check the last text message and try again."),
    "expired": _("This code has expired (codes last %(minutes)s minutes). Ask for a new code."),
    "used": _("This code has already been used. Ask for a new code."),
    "suspended": _("This account is suspended. Please contact the one-stop desk."),
}


class OtpRefused(Exception):
    """The code was not sent or not accepted; ``code`` says why (a key of :data:`REFUSALS`)."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code)

    @property
    def message(self) -> str:
        return str(REFUSALS[self.code]) % self.params if self.params else str(REFUSALS[self.code])


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def code_minutes() -> int:
    return _setting("MOTCUA_OTP_MINUTES", 5)


def phone_sign_in_allowed() -> bool:
    """The active profile allows local accounts signed in by phone (VP 10)."""
    return "phone_otp" in active_profile().sign_in.methods


def _hash(phone: str, code: str) -> str:
    return salted_hmac("motcua.identity.otp", f"{phone}:{code}", algorithm="sha256").hexdigest()


def _guard(phone: str) -> PhoneGuard:
    """The phone's lock row, locked for this transaction."""
    try:
        with transaction.atomic():
            PhoneGuard.objects.get_or_create(phone=phone)
    except IntegrityError:  # created by a concurrent request
        pass
    return PhoneGuard.objects.select_for_update().get(phone=phone)


def _check_phone(text: str) -> str:
    phone = normalise_phone(text)
    if not PHONE.match(phone):
        raise OtpRefused("bad_phone")
    return phone


def _locked(guard: PhoneGuard, now) -> OtpRefused | None:
    if guard.locked_until and guard.locked_until > now:
        until = timezone.localtime(guard.locked_until).strftime("%H:%M")
        return OtpRefused("locked", until=until)
    return None


def send_code(phone_text: str, ip: str | None) -> str:
    """Send a new code to the phone; returns the phone number as stored."""
    phone = _check_phone(phone_text)
    code = f"{secrets.randbelow(10**6):06d}"
    row = _issue(phone, code, ip)
    text = gettext(
        "MotCua: your sign-in code is %(code)s. It expires in %(minutes)s minutes. "
        "Never give it to anyone."
    ) % {"code": code, "minutes": code_minutes()}
    try:
        send_sms(phone, text)
    except SmsUnavailable as error:
        PhoneCode.objects.filter(pk=row.pk).update(expires_at=row.created_at)
        raise OtpRefused("sms_unavailable") from error
    return phone


def _issue(phone: str, code: str, ip: str | None) -> PhoneCode:
    hour_ago = timezone.now() - RATE_WINDOW
    with transaction.atomic():
        guard = _guard(phone)
        now = timezone.now()
        refusal = _locked(guard, now)
        if refusal is None:
            sent = PhoneCode.objects.filter(created_at__gte=hour_ago)
            if sent.filter(phone=phone).count() >= _setting("MOTCUA_OTP_SENDS_PER_HOUR", 5):
                refusal = OtpRefused("too_many_sends")
            elif ip and sent.filter(ip=ip).count() >= _setting("MOTCUA_OTP_IP_SENDS_PER_HOUR", 20):
                refusal = OtpRefused("too_many_from_here")
        if refusal is None:
            PhoneCode.objects.filter(phone=phone, used_at=None, expires_at__gt=now).update(
                expires_at=now
            )
            return PhoneCode.objects.create(
                phone=phone,
                code_hash=_hash(phone, code),
                ip=ip,
                created_at=now,
                expires_at=now + timedelta(minutes=code_minutes()),
            )
    raise refusal


def verify_code(phone_text: str, code: str, ip: str | None) -> User:
    """The local account of the phone once its latest code is right (created the first time);
    a wrong, expired or used code counts against the phone and the address."""
    phone = _check_phone(phone_text)
    user, refusal = _verify(phone, code.strip(), ip)
    if refusal is not None:
        raise refusal
    if not user.is_active:
        raise OtpRefused("suspended")
    return user


def _verify(phone: str, code: str, ip: str | None) -> tuple[User | None, OtpRefused | None]:
    """Check and record in one transaction; the refusal is returned, not raised, so that the
    failure count it updated is committed."""
    with transaction.atomic():
        guard = _guard(phone)
        now = timezone.now()
        refusal = _locked(guard, now)
        if refusal is not None:
            return None, refusal
        limit = _setting("MOTCUA_OTP_IP_WRONG_PER_HOUR", 20)
        if ip and WrongCode.objects.filter(ip=ip, at__gte=now - RATE_WINDOW).count() >= limit:
            return None, OtpRefused("too_many_from_here")
        latest = (
            PhoneCode.objects.select_for_update()
            .filter(phone=phone)
            .order_by("-created_at")
            .first()
        )
        matches = latest is not None and constant_time_compare(latest.code_hash, _hash(phone, code))
        if matches and latest.used_at is None and latest.expires_at > now:
            latest.used_at = now
            latest.save(update_fields=["used_at"])
            guard.failures, guard.locked_until = 0, None
            guard.save(update_fields=["failures", "locked_until"])
            return _local_account(phone), None
        if latest is None:
            refusal = OtpRefused("no_code")
        elif not matches:
            refusal = OtpRefused("wrong")
        elif latest.used_at is not None:
            refusal = OtpRefused("used")
        else:
            refusal = OtpRefused("expired", minutes=code_minutes())
        WrongCode.objects.create(phone=phone, ip=ip, at=now)
        guard.failures += 1
        if guard.failures >= _setting("MOTCUA_OTP_MAX_WRONG", 5):
            guard.failures = 0
            guard.locked_until = now + timedelta(minutes=_setting("MOTCUA_OTP_LOCK_MINUTES", 15))
            PhoneCode.objects.filter(phone=phone, used_at=None, expires_at__gt=now).update(
                expires_at=now
            )
            logger.warning("Phone sign-in locked after repeated wrong codes")
        guard.save(update_fields=["failures", "locked_until"])
        return None, refusal


def _local_account(phone: str) -> User:
    """The local account signed in with ``phone``; never an SSO or a staff account, even one
    whose contact number is the same."""
    profile = ApplicantProfile.objects.select_related("user").filter(sign_in_phone=phone).first()
    if profile is not None:
        return profile.user
    user = User(username=f"sdt{phone}", kind=User.Kind.CITIZEN, phone=phone)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    ApplicantProfile.objects.create(user=user, sign_in_phone=phone)
    return user


def purge_codes() -> dict[str, int]:
    """Delete what no limit counts any more (phone numbers and addresses are personal data):
    codes sent before the hourly window that can no longer be used (expired or used), and
    wrong codes typed before it. The lock of a number is on :class:`PhoneGuard`, kept."""
    now = timezone.now()
    cutoff = now - RATE_WINDOW
    codes, _ = (
        PhoneCode.objects.filter(created_at__lt=cutoff)
        .filter(Q(expires_at__lte=now) | Q(used_at__isnull=False))
        .delete()
    )
    wrong, _ = WrongCode.objects.filter(at__lt=cutoff).delete()
    return {"codes": codes, "wrong_codes": wrong}
