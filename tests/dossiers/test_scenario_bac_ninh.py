"""Bắc Ninh, Quyết định 23/2023/QĐ-UBND, walked article by article (national rules where it
defers to them)."""

from decimal import Decimal

import pytest

from motcua.dossiers import services
from motcua.dossiers.errors import RuleViolation
from motcua.dossiers.models import Status
from motcua.profiles import active_profile

from .conftest import at, new_dossier, received


@pytest.fixture(autouse=True)
def bac_ninh(settings):
    settings.MOTCUA_PROFILE = "bac-ninh"


def test_10_3_maintenance_is_announced_five_working_days_ahead():
    notice = active_profile().maintenance.notice
    assert (notice.amount, notice.unit, notice.article) == (Decimal(5), "working_days", "BN 10.3")


def test_12_1_local_accounts_are_allowed_beside_the_national_portal():
    assert {"local_account", "national_sso"} <= set(active_profile().sign_in.methods)


def test_14_2_online_dossiers_are_received_within_one_working_day(world):
    dossier = new_dossier(world, submitted="2026-04-24T16:00:00+07:00")
    # Friday 16:00 → 25–26 weekend, 27 Apr Hùng Kings (observed) → Tue 28 Apr 16:00.
    assert dossier.reception_due_at == at("2026-04-28T16:00:00+07:00")


def test_14_3_supplement_does_not_lapse_where_the_regulation_sets_no_timeout(world):
    w = world
    dossier = services.request_supplement(new_dossier(w), w.desk_officer, items=["A"], guidance="A")
    assert dossier.supplement_requests.get().expires_at is None
    with pytest.raises(RuleViolation) as error:
        services.timeout(dossier, at=at("2027-03-02T09:00:00+07:00"))
    assert error.value.code == "not_expired"


def test_14_extension_applies_at_once_before_the_due_time(world):
    w = world
    dossier = received(w)  # due Mon 9 Mar 10:00
    dossier = services.extend(
        dossier,
        w.leader,
        new_due_at=at("2026-03-11T10:00:00+07:00"),
        apology="Xin lỗi",
        at=at("2026-03-09T09:00:00+07:00"),
    )
    assert dossier.due_at == at("2026-03-11T10:00:00+07:00")
    other = received(w)
    with pytest.raises(RuleViolation) as error:
        services.extend(
            other,
            w.leader,
            new_due_at=at("2026-03-11T10:00:00+07:00"),
            apology="Xin lỗi",
            at=at("2026-03-09T10:30:00+07:00"),
        )
    assert error.value.code == "extension_notice"


def test_14_4_full_level_fee_before_the_result(world):
    w = world
    dossier = received(w)
    for officer in (w.specialist, w.unit_leader, w.leader):
        dossier = services.forward(dossier, officer)
    with pytest.raises(RuleViolation) as error:
        services.complete(dossier, w.clerk)
    assert error.value.code == "fee_unpaid"


def test_14_6_lookup_channels():
    assert set(active_profile().lookup.channels) == {"code", "qr", "sms", "desk", "national_portal"}


def test_17_2_feedback_is_answered_within_ten_working_days():
    period = active_profile().feedback.answer_within
    assert (period.amount, period.unit, period.article) == (Decimal(10), "working_days", "BN 17.2")


def test_a_settled_dossier_is_classified_against_its_appointment(world):
    w = world
    dossier = received(w)  # due Mon 9 Mar 10:00
    for officer in (w.specialist, w.unit_leader, w.leader):
        dossier = services.forward(dossier, officer, at=at("2026-03-09T09:00:00+07:00"))
    services.record_payment(dossier, amount=100_000, reference="x")
    dossier = services.complete(dossier, w.clerk, at=at("2026-03-09T11:00:00+07:00"))
    assert (dossier.status, dossier.timeliness) == (Status.RESULT_READY, "late")
    steps = dict(dossier.steps.values_list("order", "timeliness"))
    assert steps[2] == "late"  # 16 hours from Mon 2 Mar 10:00 were due Wed 4 Mar 10:00
