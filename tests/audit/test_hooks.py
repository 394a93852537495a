"""Each place where things happen writes its audit entry (SPEC §3 item 25): dossier events,
payments, population lookups (BN 9.3, HG 10), staff sign-in, reads of personal data and
catalogue changes."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import Role, User
from motcua.audit.models import AuditEntry
from motcua.audit.services import verify
from motcua.catalogue import services as catalogue
from motcua.dossiers import services
from motcua.dossiers.errors import RuleViolation
from motcua.dossiers.models import DossierEvent
from motcua.population import services as population
from tests.dossiers.conftest import at, new_dossier, received

pytestmark = pytest.mark.django_db


def entries(action):
    return list(AuditEntry.objects.filter(action=action))


def test_every_dossier_event_has_its_entry(world):
    dossier = received(world)
    services.record_payment(
        dossier, amount=100_000, reference="FT1", at=at("2026-03-02T11:00:00+07:00")
    )
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("id"))
    assert [e.action for e in events] == ["submit", "receive", "pay"]
    audited = AuditEntry.objects.filter(target_type="dossiers.dossier", target_id=str(dossier.pk))
    assert [(a.action, a.details["event"], a.actor_id) for a in audited] == [
        ("dossier.submit", events[0].pk, world.citizen.pk),
        ("dossier.receive", events[1].pk, world.desk_officer.pk),
        ("dossier.pay", events[2].pk, None),
    ]
    assert verify().intact


def test_a_refused_action_writes_no_entry(world):
    dossier = new_dossier(world)
    before = AuditEntry.objects.count()
    with pytest.raises(RuleViolation):
        services.refuse(dossier, world.desk_officer, reason="")
    assert AuditEntry.objects.count() == before


def test_a_population_lookup_is_audited(world, settings):
    settings.MOTCUA_POPULATION_SERVICE = "fake"
    auditor = User.objects.create(
        username="pc06", kind=User.Kind.STAFF, role=Role.POLICE_AUDITOR, agency=world.police
    )
    population.register_officer(world.desk_officer, by=auditor, decision_number="12/PC06")
    result = population.lookup(world.desk_officer, "027090001234", "Xác minh nhân thân")
    (entry,) = entries("population.lookup")
    assert entry.actor_id == world.desk_officer.pk
    assert entry.target_id == str(result.entry.pk)
    assert entry.details == {"outcome": "found"}


@pytest.fixture
def officer(world):
    world.desk_officer.set_password("Mật-khẩu-dài-2026")
    world.desk_officer.save()
    return world.desk_officer


def test_staff_sign_in_and_refusals_are_audited(client, officer):
    client.post("/noi-bo/dang-nhap/", {"username": officer.username, "password": "sai"})
    (failed,) = entries("auth.sign_in_failed")
    assert failed.actor_id is None and failed.details == {"username": officer.username}
    assert failed.ip == "127.0.0.1"
    assert "sai" not in str(failed.details)
    client.post(
        "/noi-bo/dang-nhap/", {"username": officer.username, "password": "Mật-khẩu-dài-2026"}
    )
    (signed_in,) = entries("auth.sign_in")
    assert signed_in.actor_id == officer.pk
    client.get("/noi-bo/xac-thuc/")
    device = TOTPDevice.objects.get(user=officer)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    client.post("/noi-bo/xac-thuc/", {"token": f"{code:06d}"})
    (second,) = entries("auth.second_factor")
    assert second.actor_id == officer.pk


def test_reading_a_dossier_in_the_back_office_is_audited(world, signed_in):
    dossier = received(world)
    url = reverse("backoffice:dossier", args=[dossier.public_id])
    assert signed_in(world.desk_officer).get(url).status_code == 200
    (read,) = entries("dossier.view")
    assert (read.actor_id, read.target_id, read.ip) == (
        world.desk_officer.pk,
        str(dossier.pk),
        "127.0.0.1",
    )


def test_reading_a_dossier_through_the_api_is_audited(world, client):
    dossier = received(world)
    client.force_login(world.citizen)
    assert client.get(f"/api/v1/dossiers/{dossier.public_id}/").status_code == 200
    (read,) = entries("api.dossier.read")
    assert (read.actor_id, read.target_id) == (world.citizen.pk, str(dossier.pk))
    client.get("/api/v1/dossiers/")  # listing shows no personal details beyond the form
    assert len(entries("api.dossier.read")) == 1


def test_agency_and_catalogue_changes_are_audited(world, admin_user):
    assert len(entries("process.publish")) == 2  # the two procedures of the small province
    catalogue.rename_agency(world.commune, "UBND phường Kinh Bắc mới", actor=admin_user)
    (rename,) = entries("agency.rename")
    assert rename.actor_id == admin_user.pk
    assert rename.details == {"from": "UBND phường Kinh Bắc", "to": "UBND phường Kinh Bắc mới"}
    catalogue.merge_agency(world.police, world.department, actor=admin_user, decision="QĐ 2")
    (merge,) = entries("agency.merge")
    assert merge.target_id == str(world.police.pk)
    assert merge.details["into"] == world.department.code
    assert verify().intact
