"""Dossiers submitted on the national portal enter the dossier engine once each and are
acknowledged (SPEC §3 item 22; HG 5.6: the applicant's account by personal ID or tax code)."""

import pytest
from django.core.management import call_command

from motcua.accounts.models import User
from motcua.dossiers.models import Channel, Dossier, Status
from motcua.nationalportal.adapters import NationalPortalError
from motcua.nationalportal.models import PulledDossier
from motcua.nationalportal.services import pull_dossiers, status_record
from motcua.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

FORM = {"full_name": "Lê Minh Châu", "id_number": "027201000345"}


def _national_dossier(national_id, *, procedure="1.000001", form=FORM, **applicant):
    return {
        "id": national_id,
        "procedure": procedure,
        "submitted_at": "2026-03-02T08:30:00+07:00",
        "form": form,
        "applicant": {
            "kind": "citizen",
            "full_name": "Lê Minh Châu",
            "personal_id": "027201000345",
            "phone": "+84 912 345 678",
            **applicant,
        },
    }


@pytest.fixture
def offered(portal):
    dossiers = [
        _national_dossier("G22.99.01-260302-0001"),
        _national_dossier("G22.99.01-260302-0002", form={"full_name": "Lê Minh Châu"}),
        _national_dossier("G22.99.01-260302-0003", procedure="9.999999"),
    ]
    portal.state.dossiers = {d["id"]: d for d in dossiers}
    return portal


def test_a_pull_creates_submits_and_acknowledges(world, offered):
    report = pull_dossiers()

    (dossier,) = Dossier.objects.filter(channel=Channel.NATIONAL_PORTAL)
    assert report.created == [dossier.code]
    assert report.refused == {"G22.99.01-260302-0002": "form_invalid"}
    assert dossier.status == Status.SUBMITTED
    assert dossier.procedure == world.permit and dossier.form_data == FORM
    assert dossier.submitted_at.isoformat() == "2026-03-02T01:30:00+00:00"
    applicant = dossier.applicant
    assert applicant.kind == User.Kind.CITIZEN and applicant.personal_id == "027201000345"
    assert applicant.full_name == "Lê Minh Châu" and applicant.phone == "0912345678"
    assert not applicant.has_usable_password()
    # Only the dossiers of our procedures are asked for.
    assert offered.received[0].path == "/dossiers"
    assert offered.state.acknowledged == {
        "G22.99.01-260302-0001": {"code": dossier.code},
        "G22.99.01-260302-0002": {"reason": "form_invalid"},
    }
    assert report.acknowledged == 2
    # The status push names the national dossier.
    message = OutboxMessage.objects.get(topic="national_portal.status")
    assert status_record(message.payload)["MaHoSoQG"] == "G22.99.01-260302-0001"


def test_a_second_pull_creates_nothing_new(world, offered):
    pull_dossiers()
    offered.state.acknowledged.clear()  # the acknowledgement was lost: offered again

    report = pull_dossiers()

    assert report.created == [] and report.refused == {}
    assert sorted(report.already) == ["G22.99.01-260302-0001", "G22.99.01-260302-0002"]
    assert Dossier.objects.filter(channel=Channel.NATIONAL_PORTAL).count() == 1
    assert PulledDossier.objects.count() == 2
    assert report.acknowledged == 0  # already acknowledged here; the portal is not told twice


def test_an_existing_account_is_found_by_its_personal_id(world, portal):
    portal.state.dossiers = {
        "N1": _national_dossier("N1", personal_id=world.citizen.personal_id, full_name="X")
    }
    pull_dossiers()
    assert PulledDossier.objects.get(national_id="N1").dossier.applicant == world.citizen


def test_an_organisation_is_refused_where_only_citizens_apply(world, portal):
    portal.state.dossiers = {
        "N2": _national_dossier("N2", kind="organisation", personal_id="", tax_code="0101234567")
    }
    report = pull_dossiers()
    assert report.refused == {"N2": "applicant_kind"}
    assert not User.objects.filter(tax_code="0101234567").exists()  # a refusal changes nothing


def test_a_staff_identifier_is_refused(world, portal):
    world.leader.personal_id = "027302004567"
    world.leader.save()
    portal.state.dossiers = {"N3": _national_dossier("N3", personal_id="027302004567")}
    assert pull_dossiers().refused == {"N3": "applicant_account"}
    refused = PulledDossier.objects.get(national_id="N3")
    assert refused.refusal == "Số định danh này thuộc một loại tài khoản khác."


def test_a_failed_acknowledgement_is_sent_with_the_next_pull(world, offered):
    offered.fail("error", path="/dossiers/ack")
    first = pull_dossiers()
    assert len(first.created) == 1 and "peer_error" in first.ack_error
    assert offered.state.acknowledged == {}

    second = pull_dossiers()

    assert second.created == [] and second.acknowledged == 2 and second.ack_error == ""
    assert set(offered.state.acknowledged) == {"G22.99.01-260302-0001", "G22.99.01-260302-0002"}
    assert not PulledDossier.objects.filter(acknowledged_at__isnull=True).exists()


def test_an_unreadable_portal_changes_nothing(world, offered):
    offered.fail("error", path="/dossiers")
    with pytest.raises(NationalPortalError, match="peer_error"):
        pull_dossiers()
    assert not PulledDossier.objects.exists()


def test_the_command_reports_what_it_did(world, offered, capsys):
    call_command("pull_national_dossiers")
    out = capsys.readouterr().out
    assert "created: 1, refused: 1" in out
    assert "G22.99.01-260302-0002: form_invalid" in out
