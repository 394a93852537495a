"""Vĩnh Phúc, Quyết định 03/2020/QĐ-UBND, walked article by article."""

from datetime import timedelta

import pytest

from motcua.calendar.services import calendar_for
from motcua.dossiers import services
from motcua.dossiers.errors import ActionForbidden, RuleViolation
from motcua.dossiers.models import Status

from .conftest import at, new_dossier, received


@pytest.fixture(autouse=True)
def vinh_phuc(settings):
    settings.MOTCUA_PROFILE = "vinh-phuc"


@pytest.mark.parametrize(
    ("submitted", "due"),
    [
        ("2026-03-02T09:00:00+07:00", "2026-03-02T10:00:00+07:00"),
        # Too late in the session for one hour's check: from the next session.
        ("2026-03-02T11:00:00+07:00", "2026-03-02T14:00:00+07:00"),
        ("2026-03-02T16:30:00+07:00", "2026-03-03T08:30:00+07:00"),
        # Outside working hours: from the start of the next session.
        ("2026-03-02T19:00:00+07:00", "2026-03-03T08:30:00+07:00"),
        ("2026-03-07T10:00:00+07:00", "2026-03-09T08:30:00+07:00"),
        ("2026-02-13T16:15:00+07:00", "2026-02-23T08:30:00+07:00"),
    ],
)
def test_13_1_online_dossier_received_within_one_working_hour(world, submitted, due):
    dossier = new_dossier(world, submitted=submitted)
    assert dossier.reception_due_at == at(due)


def test_13_1_a_late_reception_is_recorded(world):
    dossier = received(
        world, submitted="2026-03-02T09:00:00+07:00", receive="2026-03-02T10:30:00+07:00"
    )
    assert dossier.received_late
    assert dossier.events.get(action="receive").data["received_late"] is True


def test_13_3_supplement_pauses_the_clock_and_gives_a_new_appointment(world):
    """Received Wed 11 Feb 2026 09:00 (5 working days → Wed 25 Feb 09:00, over Tết); 8 working
    hours used when the supplement is asked on Thu 12 Feb 09:00; resubmitted Mon 2 Mar
    10:00, the 32 hours left run to Fri 6 Mar 10:00."""
    w = world
    dossier = received(
        w, submitted="2026-02-11T08:00:00+07:00", receive="2026-02-11T09:00:00+07:00"
    )
    assert dossier.due_at == at("2026-02-25T09:00:00+07:00")
    dossier = services.request_supplement(
        dossier,
        w.specialist,
        items=["Bản sao giấy chứng nhận"],
        guidance="Bổ sung bản sao",
        at=at("2026-02-12T09:00:00+07:00"),
    )
    assert dossier.status == Status.AWAITING_SUPPLEMENT
    assert dossier.clock_remaining_us == 32 * 3_600_000_000
    step_due_before = dossier.current_step.due_at
    dossier = services.resubmit(dossier, w.citizen, at=at("2026-03-02T10:00:00+07:00"))
    assert dossier.status == Status.PROCESSING
    assert dossier.due_at == at("2026-03-06T10:00:00+07:00")
    assert dossier.original_due_at == at("2026-02-25T09:00:00+07:00")
    calendar = calendar_for()
    left = calendar.between(at("2026-02-12T09:00:00+07:00"), step_due_before)
    assert dossier.current_step.due_at == calendar.add(at("2026-03-02T10:00:00+07:00"), left)


def test_13_2_reception_guidance_once_then_apology_of_the_centre_director(world):
    w = world
    dossier = new_dossier(w)
    dossier = services.request_supplement(
        dossier, w.desk_officer, items=["Tờ khai"], guidance="Ký tờ khai"
    )
    dossier = services.resubmit(dossier, w.citizen)
    assert dossier.status == Status.SUBMITTED
    with pytest.raises(RuleViolation) as error:
        services.request_supplement(dossier, w.desk_officer, items=["Ảnh"], guidance="Thiếu ảnh")
    assert error.value.code == "supplement_limit"
    with pytest.raises(RuleViolation) as error:  # the department head is not the signer
        services.request_supplement(
            dossier,
            w.desk_officer,
            items=["Ảnh"],
            guidance="Thiếu ảnh",
            apology="Xin lỗi vì hướng dẫn chưa đầy đủ",
            apology_signer=w.leader,
        )
    assert error.value.code == "apology_signer"
    dossier = services.request_supplement(
        dossier,
        w.desk_officer,
        items=["Ảnh"],
        guidance="Thiếu ảnh",
        apology="Xin lỗi vì hướng dẫn lần đầu chưa đầy đủ",
        apology_signer=w.centre_director,
    )
    assert dossier.apologies.get().signed_by == w.centre_director


def test_14_1_processing_supplement_once_then_apology_of_the_head(world):
    w = world
    dossier = received(w)
    dossier = services.request_supplement(dossier, w.specialist, items=["A"], guidance="A")
    dossier = services.resubmit(dossier, w.citizen)
    with pytest.raises(RuleViolation) as error:
        services.request_supplement(dossier, w.specialist, items=["B"], guidance="B")
    assert error.value.code == "supplement_limit"
    # The specialist sits in a unit of the department: the department's head signs.
    dossier = services.request_supplement(
        dossier, w.specialist, items=["B"], guidance="B", apology="Xin lỗi", apology_signer=w.leader
    )
    assert dossier.supplement_count == 2


def test_14_4_extension(world):
    w = world
    dossier = received(w)  # due Mon 9 Mar 10:00
    new_date = at("2026-03-12T10:00:00+07:00")
    # c) at least one (working) day before the due time.
    with pytest.raises(RuleViolation) as error:
        services.extend(
            dossier,
            w.leader,
            new_due_at=new_date,
            apology="Xin lỗi",
            at=at("2026-03-06T11:00:00+07:00"),
        )
    assert error.value.code == "extension_notice"
    with pytest.raises(ActionForbidden):
        services.extend(dossier, w.specialist, new_due_at=new_date, apology="Xin lỗi")
    # a) a province agency's extension waits for the centre's confirmation.
    dossier = services.extend(
        dossier,
        w.leader,
        new_due_at=new_date,
        apology="Xin lỗi ông/bà",
        at=at("2026-03-06T09:00:00+07:00"),
    )
    assert dossier.due_at == at("2026-03-09T10:00:00+07:00")
    with pytest.raises(ActionForbidden):
        services.confirm_extension(dossier, w.commune_officer)
    dossier = services.confirm_extension(
        dossier, w.desk_officer, at=at("2026-03-06T10:00:00+07:00")
    )
    assert dossier.due_at == new_date
    apology = dossier.apologies.get()
    assert apology.confirmed_by == w.desk_officer and apology.signed_by == w.leader
    # d) only once.
    with pytest.raises(RuleViolation) as error:
        services.extend(
            dossier,
            w.leader,
            new_due_at=new_date + timedelta(days=3),
            apology="Lần hai",
            at=at("2026-03-09T09:00:00+07:00"),
        )
    assert error.value.code == "extension_limit"
    # đ) an extended dossier counts as late even when settled before its first date.
    for officer in (w.specialist, w.unit_leader, w.leader):
        dossier = services.forward(dossier, officer, at=at("2026-03-06T14:00:00+07:00"))
    services.record_payment(dossier, amount=100_000, reference="FT9")
    dossier = services.complete(dossier, w.clerk, at=at("2026-03-06T15:00:00+07:00"))
    assert dossier.timeliness == "late"


def test_14_4_b_a_commune_extends_without_confirmation(world):
    w = world
    dossier = received(w, w.birth)  # 3 working days → Thu 5 Mar 10:00
    dossier = services.extend(
        dossier,
        w.commune_chair,
        new_due_at=at("2026-03-10T10:00:00+07:00"),
        apology="Xin lỗi",
        at=at("2026-03-03T09:00:00+07:00"),
    )
    assert dossier.due_at == at("2026-03-10T10:00:00+07:00")


def test_15_4_fee_timing_by_level(world):
    """Level 4 (full) pays before the result is issued; level 3 (partial) at the latest when
    the originals are checked."""
    w = world
    assert received(w).status == Status.PROCESSING  # reception is not gated
    from motcua.profiles import active_profile

    assert active_profile().fee_gate("full") == "complete"
    assert active_profile().fee_gate("partial") == "return_result"


def test_16_1_originals_within_15_days_or_the_result_lapses(world):
    w = world
    dossier = received(w, w.birth)
    for officer in (w.commune_specialist, w.police_officer):
        dossier = services.forward(dossier, officer, at=at("2026-03-02T14:00:00+07:00"))
    dossier = services.complete(dossier, w.commune_chair, at=at("2026-03-02T15:00:00+07:00"))
    with pytest.raises(RuleViolation) as error:
        services.expire(dossier, at=at("2026-03-17T14:59:00+07:00"))
    assert error.value.code == "not_expired"
    dossier = services.expire(dossier, at=at("2026-03-17T15:00:00+07:00"))
    assert dossier.status == Status.EXPIRED
    assert dossier.events.last().data["article"] == "VP 16.1"
