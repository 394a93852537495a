"""Hậu Giang, Quyết định 44/2025/QĐ-UBND, walked article by article."""

import pytest

from motcua.dossiers import services
from motcua.dossiers.errors import RuleViolation
from motcua.dossiers.models import Status

from .conftest import at, new_dossier, received


@pytest.fixture(autouse=True)
def hau_giang(settings):
    settings.MOTCUA_PROFILE = "hau-giang"


def test_5_5_unanswered_supplement_cancels_after_30_days(world):
    w = world
    dossier = new_dossier(w)
    dossier = services.request_supplement(
        dossier,
        w.desk_officer,
        items=["Tờ khai có chữ ký"],
        guidance="Ký tờ khai",
        at=at("2026-03-02T10:00:00+07:00"),
    )
    request = dossier.supplement_requests.get()
    assert request.expires_at == at("2026-04-01T10:00:00+07:00")  # 30 calendar days
    with pytest.raises(RuleViolation) as error:
        services.timeout(dossier, at=at("2026-04-01T09:59:00+07:00"))
    assert error.value.code == "not_expired"
    dossier = services.timeout(dossier, at=at("2026-04-01T10:00:00+07:00"))
    assert dossier.status == Status.CANCELLED
    assert dossier.events.last().data["article"] == "HG 5.5"
    assert dossier.events.last().actor is None  # the System acts


def test_5_6_submitting_for_another_needs_an_authorisation(world):
    w = world
    with pytest.raises(RuleViolation) as error:
        services.create_draft(w.permit, applicant=w.other_citizen, submitter=w.citizen)
    assert error.value.code == "authorisation_required"


@pytest.mark.parametrize(
    ("submitted", "due"),
    [
        ("2026-03-02T09:00:00+07:00", "2026-03-03T09:00:00+07:00"),
        # "trừ thứ bảy, chủ nhật và ngày lễ": Friday before Tết → Monday after it.
        ("2026-02-13T16:00:00+07:00", "2026-02-23T16:00:00+07:00"),
        ("2026-03-07T10:00:00+07:00", "2026-03-09T17:00:00+07:00"),
    ],
)
def test_6_1_a_received_within_one_working_day(world, submitted, due):
    assert new_dossier(world, submitted=submitted).reception_due_at == at(due)


def test_7_1_time_runs_from_valid_reception_and_the_lead_agency_answers(world):
    w = world
    dossier = received(
        w, w.birth, submitted="2026-03-02T09:00:00+07:00", receive="2026-03-03T09:00:00+07:00"
    )
    assert dossier.due_at == at("2026-03-06T09:00:00+07:00")  # 3 days from reception
    dossier = services.forward(dossier, w.commune_specialist, at=at("2026-03-03T10:00:00+07:00"))
    assert dossier.current_step.agency == w.police
    assert dossier.agency == w.commune  # the commune stays answerable for the due time


def test_supplement_clock_pauses_in_processing(world):
    w = world
    dossier = received(w)
    dossier = services.request_supplement(
        dossier, w.specialist, items=["A"], guidance="A", at=at("2026-03-03T10:00:00+07:00")
    )
    assert dossier.paused_at is not None and dossier.clock_started_at is None
    dossier = services.resubmit(dossier, w.citizen, at=at("2026-03-10T10:00:00+07:00"))
    # 8 hours used of 40: 32 left from Tue 10 Mar 10:00 → Mon 16 Mar 10:00.
    assert dossier.due_at == at("2026-03-16T10:00:00+07:00")
