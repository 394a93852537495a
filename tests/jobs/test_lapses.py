"""Supplement timeouts (HG 5.5) and originals expiry (VP 16.1) run by the scheduler."""

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Status
from motcua.jobs.lapses import _apply, originals_expiry, supplement_timeouts

from ..dossiers.conftest import at, new_dossier, received


def _awaiting_supplement(w):
    return services.request_supplement(
        new_dossier(w),
        w.desk_officer,
        items=["Tờ khai có chữ ký"],
        guidance="Ký tờ khai",
        at=at("2026-03-02T10:00:00+07:00"),
    )


def _result_ready(w, procedure):
    dossier = received(w, procedure)
    if procedure == w.birth:
        officers, leader = (w.commune_specialist, w.police_officer), w.commune_chair
    else:
        officers, leader = (w.specialist, w.unit_leader), w.leader
    for officer in officers:
        dossier = services.forward(dossier, officer, at=at("2026-03-02T14:00:00+07:00"))
    if procedure == w.permit:
        services.record_payment(
            dossier, amount=100_000, reference="GD-1", at=at("2026-03-02T14:00:00+07:00")
        )
        dossier = services.forward(dossier, leader, at=at("2026-03-02T14:30:00+07:00"))
        leader = w.clerk
    return services.complete(dossier, leader, at=at("2026-03-02T15:00:00+07:00"))


def test_hg_5_5_an_unanswered_request_cancels_the_dossier_after_30_days(world, settings):
    settings.MOTCUA_PROFILE = "hau-giang"
    dossier = _awaiting_supplement(world)
    assert supplement_timeouts(at("2026-04-01T09:59:00+07:00")) == {}
    assert supplement_timeouts(at("2026-04-01T10:00:00+07:00")) == {"timeout": 1}
    dossier.refresh_from_db()
    assert dossier.status == Status.CANCELLED
    assert dossier.events.last().data["article"] == "HG 5.5"
    assert supplement_timeouts(at("2026-04-02T10:00:00+07:00")) == {}


def test_a_second_run_at_once_skips_what_the_first_ended(world, settings):
    settings.MOTCUA_PROFILE = "hau-giang"
    stale = _awaiting_supplement(world)  # as a concurrent run read it
    supplement_timeouts(at("2026-04-01T10:00:00+07:00"))
    assert _apply(services.timeout, [stale], at("2026-04-01T10:00:00+07:00")) == {"skipped": 1}
    assert stale.events.filter(action="timeout").count() == 1


@pytest.mark.parametrize("profile", ["bac-ninh", "vinh-phuc"])
def test_without_a_timeout_in_the_regulation_requests_never_lapse(world, settings, profile):
    settings.MOTCUA_PROFILE = profile
    dossier = _awaiting_supplement(world)
    assert supplement_timeouts(at("2027-03-02T10:00:00+07:00")) == {}
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_SUPPLEMENT


def test_vp_16_1_originals_not_brought_in_15_days_let_the_result_lapse(world, settings):
    settings.MOTCUA_PROFILE = "vinh-phuc"
    partial = _result_ready(world, world.birth)
    full = _result_ready(world, world.permit)
    assert originals_expiry(at("2026-03-17T14:59:00+07:00")) == {}
    assert originals_expiry(at("2026-03-17T15:00:00+07:00")) == {"expire": 1}
    partial.refresh_from_db()
    full.refresh_from_db()
    assert partial.status == Status.EXPIRED and partial.events.last().data["article"] == "VP 16.1"
    assert full.status == Status.RESULT_READY, "only partial-level results need originals"
    assert originals_expiry(at("2026-03-18T15:00:00+07:00")) == {}


def test_without_an_originals_deadline_results_wait(world, settings):
    settings.MOTCUA_PROFILE = "bac-ninh"
    dossier = _result_ready(world, world.birth)
    assert originals_expiry(at("2027-03-02T10:00:00+07:00")) == {}
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
