"""The provincial police register and revoke lookup officers from a page (BN 9.3, HG 10)."""

import pytest

from motcua.accounts.models import User
from motcua.population.models import RegisteredOfficer

pytestmark = pytest.mark.django_db


def staff(username, role):
    return User.objects.create(username=username, kind=User.Kind.STAFF, role=role)


def test_police_register_and_revoke_an_officer(signed_in):
    police = signed_in(staff("congan", "police_auditor"))
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


def test_unknown_or_non_staff_accounts_are_refused(signed_in):
    police = signed_in(staff("congan", "police_auditor"))
    User.objects.create(username="congdan", kind=User.Kind.CITIZEN)
    for username in ("khongco", "congdan"):
        response = police.post(
            "/noi-bo/dan-cu/dang-ky/", {"username": username, "decision_number": "CV 1"}
        )
        assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not RegisteredOfficer.objects.exists()


@pytest.mark.parametrize("role", ["reception_officer", "province_monitor", "system_operator"])
def test_only_the_police_register(signed_in, role):
    other = signed_in(staff("nguoikhac", role))
    assert other.get("/noi-bo/dan-cu/dang-ky/").status_code == 403
