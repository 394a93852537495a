import pytest

from motcua.calendar.services import calendar_for, forget_overrides


@pytest.fixture(autouse=True)
def fresh_calendar_overrides():
    """Each test starts with no cached overrides: rolled-back rows send no signal."""
    forget_overrides()


@pytest.fixture
def calendar():
    """The default profile's calendar with no overrides (database-free)."""
    return calendar_for("bac-ninh", overrides=(frozenset(), frozenset()))


@pytest.fixture
def admin_client(client, admin_user):
    """The admin, signed in with both factors (the admin site requires OTP)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=admin_user, name="app", confirmed=True)
    client.force_login(admin_user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser(
        "admin", "admin@example.vn", "Mật-khẩu-quản-trị-2026", kind="staff"
    )
