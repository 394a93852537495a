"""The provincial police register and revoke lookup officers from a page (BN 9.3, HG 10)."""

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import User
from motcua.population.models import RegisteredOfficer

pytestmark = pytest.mark.django_db


def verified(client, user):
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def staff(username, role):
    return User.objects.create(username=username, kind=User.Kind.STAFF, role=role)


def test_police_register_and_revoke_an_officer(client):
    police = verified(client, staff("congan", "police_auditor"))
    officer = staff("tiepnhan", "reception_officer")
    response = police.post(
        "/noi-bo/dan-cu/dang-ky/", {"username": "tiepnhan", "decision_number": "CV 761/CAT"}
    )
    assert response.status_code == 302
    entry = RegisteredOfficer.objects.get(user=officer)
    assert entry.active and entry.decision_number == "CV 761/CAT"
    police.post("/noi-bo/dan-cu/dang-ky/", {"revoke": officer.pk})
    entry.refresh_from_db()
    assert not entry.active


def test_unknown_or_non_staff_accounts_are_refused(client):
    police = verified(client, staff("congan", "police_auditor"))
    User.objects.create(username="congdan", kind=User.Kind.CITIZEN)
    for username in ("khongco", "congdan"):
        response = police.post(
            "/noi-bo/dan-cu/dang-ky/", {"username": username, "decision_number": "CV 1"}
        )
        assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not RegisteredOfficer.objects.exists()


@pytest.mark.parametrize("role", ["reception_officer", "province_monitor", "system_operator"])
def test_only_the_police_register(client, role):
    other = verified(client, staff("nguoikhac", role))
    assert other.get("/noi-bo/dan-cu/dang-ky/").status_code == 403
