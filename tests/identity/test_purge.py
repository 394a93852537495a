"""Phone codes and wrong-code records are deleted once no hourly limit counts them (TN 11 limits
against guessing; VP 10.1 codes), and the limits hold the same after a purge."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.identity import otp
from motcua.identity.models import PhoneCode, PhoneGuard, WrongCode

from .conftest import last_code

pytestmark = pytest.mark.django_db

PHONE = "0912345678"
IP = "203.0.113.7"


def _sent_ago(row: PhoneCode, age: timedelta, valid=timedelta(minutes=5)) -> None:
    created = timezone.now() - age
    PhoneCode.objects.filter(pk=row.pk).update(created_at=created, expires_at=created + valid)


def _wrong(age: timedelta, ip=IP) -> WrongCode:
    return WrongCode.objects.create(phone=PHONE, ip=ip, at=timezone.now() - age)


def _code(phone=PHONE) -> PhoneCode:
    otp.send_code(phone, IP)
    return PhoneCode.objects.filter(phone=phone).latest("created_at")


def test_only_what_no_limit_counts_is_deleted(sms_outbox):
    expired_old = _code("0900000001")
    _sent_ago(expired_old, timedelta(hours=2))
    used_old = _code("0900000002")
    otp.verify_code("0900000002", last_code(sms_outbox), IP)
    _sent_ago(used_old, timedelta(minutes=61), valid=timedelta(hours=3))
    valid_old = _code("0900000003")  # a validity longer than the window: still usable
    _sent_ago(valid_old, timedelta(hours=2), valid=timedelta(hours=3))
    expired_recent = _code("0900000004")  # counts against the hourly sends
    _sent_ago(expired_recent, timedelta(minutes=50))
    fresh = _code("0900000005")
    old_wrong, recent_wrong = _wrong(timedelta(minutes=61)), _wrong(timedelta(minutes=59))

    assert otp.purge_codes() == {"codes": 2, "wrong_codes": 1}
    assert set(PhoneCode.objects.values_list("pk", flat=True)) == {
        valid_old.pk,
        expired_recent.pk,
        fresh.pk,
    }
    assert list(WrongCode.objects.values_list("pk", flat=True)) == [recent_wrong.pk]
    assert not WrongCode.objects.filter(pk=old_wrong.pk).exists()
    assert otp.purge_codes() == {"codes": 0, "wrong_codes": 0}


def test_the_hourly_send_limit_holds_after_a_purge(sms_outbox, settings):
    settings.MOTCUA_OTP_SENDS_PER_HOUR = 2
    first = _code()
    _sent_ago(first, timedelta(minutes=30))
    _code()
    otp.purge_codes()
    with pytest.raises(otp.OtpRefused) as refused:
        otp.send_code(PHONE, IP)
    assert refused.value.code == "too_many_sends"
    assert PhoneCode.objects.count() == 2


def test_the_hourly_wrong_code_limit_of_an_address_holds_after_a_purge(sms_outbox, settings):
    settings.MOTCUA_OTP_IP_WRONG_PER_HOUR = 2
    _wrong(timedelta(minutes=10), ip=IP)
    _wrong(timedelta(minutes=20), ip=IP)
    _wrong(timedelta(hours=3), ip=IP)
    _code()
    otp.purge_codes()
    with pytest.raises(otp.OtpRefused) as refused:
        otp.verify_code(PHONE, last_code(sms_outbox), IP)
    assert refused.value.code == "too_many_from_here"


def test_a_locked_number_stays_locked_after_a_purge(sms_outbox):
    until = timezone.now() + timedelta(minutes=10)
    PhoneGuard.objects.create(phone=PHONE, locked_until=until)
    _wrong(timedelta(hours=2))
    otp.purge_codes()
    with pytest.raises(otp.OtpRefused) as refused:
        otp.send_code(PHONE, IP)
    assert refused.value.code == "locked"
