import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.dossiers.conftest import world  # noqa: F401 — the shared small province


@pytest.fixture
def signed_in(client):
    """Sign a user in with both factors (password and a confirmed TOTP device)."""

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
