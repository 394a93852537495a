"""The dossier lifecycle end to end on the default profile (bac-ninh), SPEC §2."""

from datetime import datetime

import pytest

from motcua.dossiers import services
from motcua.dossiers.errors import ActionForbidden, RuleViolation, TransitionNotAllowed
from motcua.dossiers.models import DossierEvent, DossierStep, Status
from motcua.outbox.models import OutboxMessage

from .conftest import at, new_dossier, received


def walk_to_result(w, dossier, start="2026-03-03T08:00:00+07:00"):
    moment = at(start)
    for officer in (w.specialist, w.unit_leader, w.leader):
        dossier = services.forward(dossier, officer, at=moment)
    services.record_payment(dossier, amount=100_000, reference="FT123", at=moment)
    return services.complete(dossier, w.clerk, at=moment)


def test_happy_path_writes_history_steps_and_outbox(world):
    w = world
    draft = services.create_draft(w.permit, applicant=w.citizen, form_data=dict(w.form))
    assert draft.code is None and draft.status == Status.DRAFT
    dossier = services.submit(draft, w.citizen, at=at("2026-03-02T09:00:00+07:00"))
    assert dossier.code == "000.00.15.H06-260302-0001"
    assert dossier.status == Status.SUBMITTED

    dossier = services.receive(dossier, w.desk_officer, at=at("2026-03-02T10:00:00+07:00"))
    assert dossier.status == Status.PROCESSING
    # 5 working days from Monday 10:00 → Monday 9 March 10:00.
    assert dossier.due_at == at("2026-03-09T10:00:00+07:00")
    assert dossier.original_due_at == dossier.due_at
    steps = list(dossier.steps.order_by("order"))
    assert [s.state for s in steps] == ["done", "active", "pending", "pending", "pending"]
    assert steps[1].due_at == at("2026-03-04T10:00:00+07:00")  # 16 working hours
    assert steps[1].agency == w.unit

    dossier = walk_to_result(w, dossier)
    assert dossier.status == Status.RESULT_READY
    assert dossier.timeliness == "early"
    dossier = services.return_result(dossier, w.desk_officer, at=at("2026-03-04T08:00:00+07:00"))
    assert dossier.status == Status.RETURNED

    events = list(dossier.events.values_list("action", "from_status", "to_status"))
    assert events == [
        ("submit", "draft", "submitted"),
        ("receive", "submitted", "processing"),
        ("forward", "processing", "processing"),
        ("forward", "processing", "processing"),
        ("forward", "processing", "processing"),
        ("pay", "processing", "processing"),
        ("complete", "processing", "result_ready"),
        ("return_result", "result_ready", "returned"),
    ]
    topics = list(OutboxMessage.objects.values_list("topic", flat=True))
    assert topics.count("national_portal.status") == len(events)
    assert topics.count("notify.applicant") == len(events) - 3  # forwards are internal
    assert all(s.timeliness for s in dossier.steps.all())


def test_codes_follow_the_daily_sequence_of_the_agency(world):
    w = world
    codes = [new_dossier(w).code for _ in range(3)]
    codes.append(new_dossier(w, submitted="2026-03-03T09:00:00+07:00").code)
    codes.append(new_dossier(w, w.birth).code)
    assert codes == [
        "000.00.15.H06-260302-0001",
        "000.00.15.H06-260302-0002",
        "000.00.15.H06-260302-0003",
        "000.00.15.H06-260303-0001",
        "H06.01.01-260302-0001",
    ]


def test_the_local_day_names_the_code(world):
    """Submitted at 23:30 UTC on 1 March = 06:30 on 2 March in Vietnam."""
    dossier = new_dossier(world, submitted="2026-03-01T23:30:00+00:00")
    assert dossier.code.endswith("-260302-0001")


def test_refused_actions_change_nothing(world):
    w = world
    dossier = new_dossier(w)
    before = (dossier.status, dossier.events.count(), OutboxMessage.objects.count())
    with pytest.raises(TransitionNotAllowed):
        services.complete(dossier, w.clerk)
    with pytest.raises(ActionForbidden):
        services.receive(dossier, w.specialist)  # not a one-stop officer
    with pytest.raises(ActionForbidden):
        services.receive(dossier, w.commune_officer)  # another agency's desk
    with pytest.raises(ActionForbidden):
        services.withdraw(dossier, w.other_citizen)
    with pytest.raises(RuleViolation) as error:
        services.refuse(dossier, w.desk_officer, reason="  ")
    assert error.value.code == "reason_required"
    dossier.refresh_from_db()
    assert (dossier.status, dossier.events.count(), OutboxMessage.objects.count()) == before


def test_steps_are_taken_by_their_role_at_their_unit(world):
    w = world
    dossier = received(w)
    with pytest.raises(ActionForbidden):
        services.forward(dossier, w.unit_leader)  # the specialist's step
    with pytest.raises(ActionForbidden):
        services.forward(dossier, w.commune_specialist)  # right role, wrong agency
    dossier = services.forward(dossier, w.specialist, at=at("2026-03-02T14:00:00+07:00"))
    assert dossier.current_step.order == 3
    dossier = services.send_back(
        dossier, w.unit_leader, reason="Thiếu thẩm định", at=at("2026-03-02T15:00:00+07:00")
    )
    assert dossier.current_step.order == 2
    assert dossier.current_step.due_at == at("2026-03-04T15:00:00+07:00")
    with pytest.raises(RuleViolation) as error:
        services.send_back(dossier, w.specialist, reason="x")
    assert error.value.code == "first_step"


def test_complete_only_from_the_last_step_and_after_the_fee(world):
    w = world
    dossier = received(w)
    moment = at("2026-03-03T08:00:00+07:00")
    with pytest.raises(RuleViolation) as error:
        services.complete(dossier, w.specialist, at=moment)
    assert error.value.code == "steps_remaining"
    for officer in (w.specialist, w.unit_leader, w.leader):
        dossier = services.forward(dossier, officer, at=moment)
    with pytest.raises(RuleViolation) as error:
        services.forward(dossier, w.clerk, at=moment)
    assert error.value.code == "last_step"
    with pytest.raises(RuleViolation) as error:
        services.complete(dossier, w.clerk, at=moment)
    assert error.value.code == "fee_unpaid"  # full level: paid before the result (NĐ 45 Đ13)
    with pytest.raises(RuleViolation) as error:
        services.record_payment(dossier, amount=50_000, reference="FT1")
    assert error.value.code == "amount_mismatch"
    services.record_payment(dossier, amount=100_000, reference="FT1", at=moment)
    services.record_payment(dossier, amount=100_000, reference="FT1", at=moment)  # replay
    assert dossier.events.filter(action="pay").count() == 1
    assert services.complete(dossier, w.clerk, at=moment).status == Status.RESULT_READY


def test_hand_off_step_is_worked_by_the_other_agency(world):
    """Inter-agency step: the police act on it; the commune stays answerable (HG 7.1)."""
    w = world
    dossier = received(w, w.birth)
    dossier = services.forward(dossier, w.commune_specialist, at=at("2026-03-02T14:00:00+07:00"))
    step = dossier.current_step
    assert step.agency == w.police and step.process_step.is_handoff
    with pytest.raises(ActionForbidden):
        services.forward(dossier, w.commune_specialist)
    dossier = services.forward(dossier, w.police_officer, at=at("2026-03-02T15:00:00+07:00"))
    assert dossier.agency == w.commune
    assert (
        services.complete(dossier, w.commune_chair, at=at("2026-03-02T16:00:00+07:00")).status
        == Status.RESULT_READY
    )


def test_partial_level_return_needs_the_originals(world):
    w = world
    dossier = received(w, w.birth)
    for officer in (w.commune_specialist, w.police_officer):
        dossier = services.forward(dossier, officer, at=at("2026-03-02T14:00:00+07:00"))
    dossier = services.complete(dossier, w.commune_chair, at=at("2026-03-02T15:00:00+07:00"))
    with pytest.raises(RuleViolation) as error:
        services.return_result(dossier, w.commune_officer)
    assert error.value.code == "originals_unchecked"
    dossier = services.return_result(dossier, w.commune_officer, originals_checked=True)
    assert dossier.status == Status.RETURNED


def test_decline_and_withdraw_are_final(world):
    w = world
    declined = services.decline(
        received(w), w.leader, reason="Không đủ điều kiện", at=at("2026-03-03T09:00:00+07:00")
    )
    assert declined.status == Status.DECLINED and declined.timeliness == "early"
    assert declined.current_step is None
    withdrawn = services.withdraw(received(w), w.citizen, reason="Không còn nhu cầu")
    assert withdrawn.status == Status.WITHDRAWN
    for dossier in (declined, withdrawn):
        with pytest.raises(TransitionNotAllowed):
            services.withdraw(dossier, w.citizen)


def test_history_is_immutable(world):
    event = new_dossier(world).events.get()
    event.reason = "sửa"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    assert DossierEvent.objects.get(pk=event.pk).reason == ""


def test_every_missing_transition_is_refused(world):
    """Every (state, action) pair outside the table raises TransitionNotAllowed."""
    from motcua.dossiers.workflow import ACTIONS, TRANSITIONS, rule_for

    for state in Status.values:
        for action in ACTIONS:
            if (state, action) in TRANSITIONS:
                assert rule_for(state, action).to
            else:
                with pytest.raises(TransitionNotAllowed):
                    rule_for(state, action)


def test_form_is_validated_at_submission(world):
    w = world
    draft = services.create_draft(
        w.permit, applicant=w.citizen, form_data={"full_name": "", "id_number": "12", "x": 1}
    )
    with pytest.raises(RuleViolation) as error:
        services.submit(draft, w.citizen)
    assert error.value.code == "form_invalid"
    assert set(error.value.fields) == {"full_name", "id_number", "x"}
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.code is None


def test_submitting_for_another_needs_an_authorisation(world):
    w = world
    with pytest.raises(RuleViolation) as error:
        services.create_draft(w.permit, applicant=w.other_citizen, submitter=w.citizen)
    assert error.value.code == "authorisation_required"
    draft = services.create_draft(
        w.permit,
        applicant=w.other_citizen,
        submitter=w.citizen,
        authorisation="Giấy ủy quyền số 12/2026 ngày 01/3/2026",
    )
    assert draft.submitter == w.citizen and draft.applicant == w.other_citizen


def test_steps_record_who_did_them(world):
    w = world
    dossier = walk_to_result(w, received(w))
    rows = dossier.steps.order_by("order").values_list("done_by__username", flat=True)
    assert list(rows) == ["tiepnhan", "chuyenvien", "truongphong", "giamdoc", "vanthu"]
    assert not DossierStep.objects.filter(state="active").exists()


def test_at_defaults_to_now(world):
    draft = services.create_draft(world.permit, applicant=world.citizen, form_data=dict(world.form))
    before = datetime.now().astimezone()
    dossier = services.submit(draft, world.citizen)
    assert dossier.submitted_at >= before


def test_a_rolled_back_submission_gives_its_number_back(world, monkeypatch):
    w = world
    draft = services.create_draft(w.permit, applicant=w.citizen, form_data=dict(w.form))

    def broken(*args, **kwargs):
        raise RuntimeError("calendar unavailable")

    with monkeypatch.context() as patch:
        patch.setattr("motcua.dossiers.deadlines.reception_due", broken)
        with pytest.raises(RuntimeError):
            services.submit(draft, w.citizen, at=at("2026-03-02T09:00:00+07:00"))
    draft.refresh_from_db()
    assert draft.code is None and not OutboxMessage.objects.exists()
    assert new_dossier(w).code == "000.00.15.H06-260302-0001"


def test_open_dossiers_are_on_track_due_soon_or_overdue(world):
    from motcua.calendar.services import calendar_for
    from motcua.dossiers.deadlines import classify_open
    from motcua.profiles import active_profile

    warning = active_profile().monitoring.due_soon  # 1 working day
    calendar = calendar_for()
    due = at("2026-03-09T10:00:00+07:00")
    assert classify_open(at("2026-03-05T10:00:00+07:00"), due, warning, calendar) == "on_track"
    assert classify_open(at("2026-03-06T10:00:00+07:00"), due, warning, calendar) == "due_soon"
    assert classify_open(at("2026-03-06T09:59:00+07:00"), due, warning, calendar) == "on_track"
    assert classify_open(at("2026-03-09T10:01:00+07:00"), due, warning, calendar) == "overdue"


def test_a_step_is_claimed_by_one_officer(world):
    w = world
    dossier = services.claim(received(w), w.specialist)
    assert dossier.current_step.assignee == w.specialist
    colleague = type(w.specialist).objects.create(
        username="chuyenvien2", kind="staff", role="specialist", agency=w.unit
    )
    with pytest.raises(RuleViolation) as error:
        services.claim(dossier, colleague)
    assert error.value.code == "step_taken"


@pytest.mark.parametrize(
    ("received_at", "handover"),
    [
        ("2026-03-02T09:00:00+07:00", "2026-03-02T17:00:00+07:00"),  # same working day
        ("2026-03-02T14:59:00+07:00", "2026-03-02T17:00:00+07:00"),
        ("2026-03-02T15:00:00+07:00", "2026-03-03T11:30:00+07:00"),  # after 15:00: next morning
        ("2026-03-06T16:00:00+07:00", "2026-03-09T11:30:00+07:00"),  # Friday → Monday morning
        ("2026-03-07T09:00:00+07:00", "2026-03-09T11:30:00+07:00"),  # Saturday desk
        ("2026-02-13T15:30:00+07:00", "2026-02-23T11:30:00+07:00"),  # before Tết
    ],
)
def test_paper_dossiers_reach_the_processing_unit_in_time(world, received_at, handover):
    """NĐ 61/2018 as amended: the same working day, or the next morning after 15:00."""
    from motcua.dossiers.desk import Applicant, receive_at_desk

    w = world
    component = w.permit.components.get()
    with_scan = {component: ("to-khai.pdf", b"%PDF-1.4\n%%EOF")}
    dossier = receive_at_desk(
        w.permit,
        officer=w.desk_officer,
        applicant=Applicant("027199001111", "Lê Thị Cúc"),
        agency=w.department,
        form_data=dict(w.form),
        scans=with_scan,
        receive=False,
    )
    dossier = services.receive(dossier, w.desk_officer, at=at(received_at))
    assert dossier.handover_due_at == at(handover)
    online = received(w)
    assert online.handover_due_at is None
