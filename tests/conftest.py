import pytest

from motcua.calendar.services import calendar_for, forget_overrides


@pytest.fixture(autouse=True)
def fresh_calendar_overrides():
    """Each test starts with no cached overrides: rolled-back rows send no signal."""
    forget_overrides()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache (rate-limit counters, banners, fragments)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def calendar():
    """The default profile's calendar with no overrides (database-free)."""
    return calendar_for("bac-ninh", overrides=(frozenset(), frozenset()))


@pytest.fixture
def signed_in(client):
    """Sign a user in with both factors (password and a confirmed TOTP device)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def sign_in(user):
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "app"}
        )
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return sign_in


@pytest.fixture
def admin_client(signed_in, admin_user):
    """The admin, signed in with both factors (the admin site requires OTP)."""
    return signed_in(admin_user)


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser(
        "admin", "admin@example.vn", "Mật-khẩu-quản-trị-2026", kind="staff"
    )
