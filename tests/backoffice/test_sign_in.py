"""Staff sign-in: password with lockout, then TOTP; idle sessions expire (TN 11)."""

import pytest
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import User

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def officer():
    user = User.objects.create(username="tiepnhan", kind=User.Kind.STAFF, role="specialist")
    user.set_password("Mật-khẩu-dài-2026")
    user.save()
    return user


def test_first_sign_in_enrols_the_authenticator_then_verifies(client, officer):
    response = client.post(
        "/noi-bo/dang-nhap/", {"username": "tiepnhan", "password": "Mật-khẩu-dài-2026"}
    )
    assert response.status_code == 302
    assert client.get("/noi-bo/").url.startswith("/noi-bo/xac-thuc/")
    page = client.get("/noi-bo/xac-thuc/")
    assert b"<svg" in page.content and b"otp-secret" in page.content
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    wrong = client.post(
        "/noi-bo/xac-thuc/", {"token": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and b"token-errors" in wrong.content
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # repeated guesses are slowed down
    device.throttle_reset()
    response = client.post("/noi-bo/xac-thuc/", {"token": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/noi-bo/").status_code == 200


def test_lockout_after_repeated_failures(client, officer):
    for _ in range(settings.MOTCUA_LOGIN_ATTEMPTS):
        client.post("/noi-bo/dang-nhap/", {"username": "tiepnhan", "password": "sai"})
    officer.refresh_from_db()
    assert officer.locked_until is not None
    response = client.post(
        "/noi-bo/dang-nhap/", {"username": "tiepnhan", "password": "Mật-khẩu-dài-2026"}
    )
    assert response.status_code == 200  # refused, like a wrong password
    assert b"login-errors" in response.content
    assert "_auth_user_id" not in client.session


def test_a_good_password_resets_the_count(client, officer):
    client.post("/noi-bo/dang-nhap/", {"username": "tiepnhan", "password": "sai"})
    officer.refresh_from_db()
    assert officer.failed_logins == 1
    client.post("/noi-bo/dang-nhap/", {"username": "tiepnhan", "password": "Mật-khẩu-dài-2026"})
    officer.refresh_from_db()
    assert officer.failed_logins == 0


def test_citizens_have_no_back_office(client):
    citizen = User.objects.create(username="congdan", kind=User.Kind.CITIZEN)
    client.force_login(citizen)
    assert client.get("/noi-bo/").status_code == 403
    assert client.get("/noi-bo/xac-thuc/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/noi-bo/hang-doi/to_receive/")
    assert response.status_code == 302 and response.url.startswith("/noi-bo/dang-nhap/")


def test_idle_sessions_expire():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_the_admin_requires_the_second_factor(client):
    admin = User.objects.create_superuser(
        "root", "r@example.vn", "Mật-khẩu-dài-2026", kind=User.Kind.STAFF
    )
    client.force_login(admin)
    response = client.get(client.get("/admin/").url)  # /admin/login/ → the staff sign-in
    assert response.status_code == 302
    assert response.url.startswith("/noi-bo/dang-nhap/")


def test_after_the_second_factor_only_local_pages(client, officer):
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    client.force_login(officer)
    response = client.post(
        "/noi-bo/xac-thuc/?next=https://evil.example/", {"token": current_code(device)}
    )
    assert response.url == "/noi-bo/"


def test_demo_code_command(officer, settings):
    from io import StringIO

    from django.core.management import CommandError, call_command

    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("totp", "tiepnhan")
    settings.DEBUG = True
    out = StringIO()
    call_command("totp", "tiepnhan", stdout=out)
    assert out.getvalue().strip() == current_code(device)
