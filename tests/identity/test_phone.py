"""Local accounts signed in with a phone number and a one-time SMS code, where the profile
allows them (VP 10.1); rate limits against guessing (TN 11, level-3 system)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.models import User
from motcua.identity import otp
from motcua.identity.models import ApplicantProfile, PhoneCode, PhoneGuard
from motcua.notifications.sms import SmsUnavailable

from .conftest import last_code, signed_in_user

pytestmark = pytest.mark.django_db

PHONE = "0912345678"


def ask_code(client, phone=PHONE, next_url="/tra-cuu/"):
    return client.post(reverse("identity:phone_start"), {"phone": phone, "next": next_url})


def type_code(client, code):
    return client.post(reverse("identity:phone_verify"), {"code": code})


def test_the_option_is_absent_and_its_addresses_404_without_phone_otp(client, settings):
    settings.MOTCUA_PROFILE = "bac-ninh"  # sign_in.methods has no phone_otp
    page = client.get(reverse("identity:sign_in")).content.decode()
    assert 'id="sso-button"' in page and 'id="phone"' not in page
    assert ask_code(client).status_code == 404
    assert client.get(reverse("identity:phone_verify")).status_code == 404
    assert not PhoneCode.objects.exists()


def test_a_right_code_signs_in_to_a_new_local_account(client, phone_profile, sms_outbox):
    page = client.get(reverse("identity:sign_in")).content.decode()
    assert 'id="phone"' in page and "Đăng nhập bằng số điện thoại" in page
    response = ask_code(client, "+84 912 345 678")
    assert response.status_code == 302 and response["Location"] == reverse("identity:phone_verify")
    [message] = sms_outbox
    assert message.phone == PHONE and "mã đăng nhập" in message.text
    code = last_code(sms_outbox)
    row = PhoneCode.objects.get()
    assert code not in row.code_hash and row.expires_at - row.created_at == timedelta(minutes=5)
    response = type_code(client, code)
    user = signed_in_user(client)
    assert user.kind == User.Kind.CITIZEN and user.phone == PHONE and user.personal_id == ""
    assert ApplicantProfile.objects.get(user=user).sign_in_phone == PHONE
    # No name yet: the profile asks for it before going on.
    assert response["Location"] == reverse("identity:profile")


def test_the_next_sign_in_finds_the_same_account_and_goes_on(client, phone_profile, sms_outbox):
    ask_code(client)
    type_code(client, last_code(sms_outbox))
    user = signed_in_user(client)
    user.full_name = "Đỗ Quang Minh"
    user.save()
    client.post(reverse("identity:sign_out"))
    ask_code(client, next_url="/hoi-dap/")
    response = type_code(client, last_code(sms_outbox))
    assert response["Location"] == "/hoi-dap/"
    assert signed_in_user(client).pk == user.pk


def test_a_phone_code_never_opens_a_national_or_staff_account(client, phone_profile, sms_outbox):
    citizen = User.objects.create(
        username="cd027090001234", kind=User.Kind.CITIZEN, personal_id="027090001234", phone=PHONE
    )
    staff = User.objects.create(username="canbo", kind=User.Kind.STAFF, phone="0987654321")
    for phone in (PHONE, "0987654321"):
        client.post(reverse("identity:sign_out"))
        ask_code(client, phone)
        type_code(client, last_code(sms_outbox))
        user = signed_in_user(client)
        assert user.pk not in (citizen.pk, staff.pk)
        assert user.kind == User.Kind.CITIZEN and user.personal_id == ""


def test_a_wrong_code_is_refused(client, phone_profile, sms_outbox):
    ask_code(client)
    right = last_code(sms_outbox)
    response = type_code(client, "000000" if right != "000000" else "111111")
    assert response.status_code == 400
    assert "Mã xác nhận không đúng" in response.content.decode()
    assert signed_in_user(client) is None
    assert PhoneGuard.objects.get(phone=PHONE).failures == 1


def test_an_expired_code_is_refused(client, phone_profile, sms_outbox):
    ask_code(client)
    PhoneCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = type_code(client, last_code(sms_outbox))
    assert response.status_code == 400
    assert "Mã xác nhận đã hết hạn" in response.content.decode()
    assert signed_in_user(client) is None


def test_a_code_is_used_once(client, phone_profile, sms_outbox):
    ask_code(client)
    code = last_code(sms_outbox)
    type_code(client, code)
    assert signed_in_user(client) is not None
    with pytest.raises(otp.OtpRefused) as refused:
        otp.verify_code(PHONE, code, "127.0.0.1")
    assert refused.value.code == "used"
    other = Client()  # someone who saw the code, in another browser
    session = other.session
    session["identity_phone"] = PHONE
    session.save()
    response = type_code(other, code)
    assert response.status_code == 400
    assert "đã được sử dụng" in response.content.decode()
    assert signed_in_user(other) is None


def test_a_new_code_replaces_the_previous_one(client, phone_profile, sms_outbox):
    ask_code(client)
    first = last_code(sms_outbox)
    ask_code(client)
    second = last_code(sms_outbox)
    if first != second:
        assert type_code(client, first).status_code == 400
    type_code(client, second)
    assert signed_in_user(client) is not None


def test_five_wrong_codes_lock_the_phone_for_fifteen_minutes(client, phone_profile, sms_outbox):
    ask_code(client)
    right = last_code(sms_outbox)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        type_code(client, wrong)
    guard = PhoneGuard.objects.get(phone=PHONE)
    lock = guard.locked_until - timezone.now()
    assert timedelta(minutes=14) < lock <= timedelta(minutes=15)
    response = type_code(client, right)  # even the right code now
    assert "đã bị tạm khóa" in response.content.decode()
    assert signed_in_user(client) is None
    assert ask_code(client).status_code == 429  # and no new code either
    PhoneGuard.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    ask_code(client)
    type_code(client, last_code(sms_outbox))
    assert signed_in_user(client) is not None


def test_codes_sent_to_one_phone_are_limited_per_hour(client, phone_profile, sms_outbox):
    for _ in range(5):
        assert ask_code(client).status_code == 302
    response = ask_code(client)
    assert response.status_code == 429
    assert "Đã gửi quá nhiều mã" in response.content.decode()
    assert len(sms_outbox) == 5


def test_wrong_codes_from_one_address_are_limited(client, phone_profile, sms_outbox, settings):
    settings.MOTCUA_OTP_IP_WRONG_PER_HOUR = 3
    for n in range(4):
        phone = f"09{n:08d}"
        ask_code(client, phone)
        right = last_code(sms_outbox)
        response = type_code(client, "000000" if right != "000000" else "111111")
    assert "quá nhiều lần đăng nhập từ kết nối này" in response.content.decode()
    # Another phone, the right code, the same address: still refused for this hour.
    ask_code(client, "0900000009")
    response = type_code(client, last_code(sms_outbox))
    assert signed_in_user(client) is None


def test_a_gateway_failure_is_said_and_leaves_no_usable_code(client, phone_profile, monkeypatch):
    def down(phone, text):
        raise SmsUnavailable("unreachable")

    monkeypatch.setattr(otp, "send_sms", down)
    response = ask_code(client)
    assert response.status_code == 503
    assert "Chưa gửi được tin nhắn" in response.content.decode()
    code = PhoneCode.objects.get()
    assert code.expires_at <= timezone.now()


def test_a_bad_number_is_refused_before_anything_is_sent(client, phone_profile, sms_outbox):
    response = ask_code(client, "12345")
    assert response.status_code == 400
    assert "Vui lòng nhập số điện thoại di động" in response.content.decode()
    assert sms_outbox == [] and not PhoneCode.objects.exists()
