"""Every transition of the table: allowed for its actors, refused for anyone else, and
refused in every other state (SPEC §2)."""

import pytest

from motcua.dossiers import services
from motcua.dossiers.errors import ActionForbidden, TransitionNotAllowed
from motcua.dossiers.models import DossierEvent, Status
from motcua.dossiers.workflow import ACTIONS, APPLICANT, SYSTEM, TRANSITIONS

from .conftest import at, new_dossier, received


def in_state(w, state):
    """A dossier of the permit procedure brought to ``state``."""
    if state == Status.DRAFT:
        return services.create_draft(w.permit, applicant=w.citizen, form_data=dict(w.form))
    if state == Status.SUBMITTED:
        return new_dossier(w)
    dossier = received(w)
    if state == Status.AWAITING_SUPPLEMENT:
        return services.request_supplement(dossier, w.specialist, items=["A"], guidance="A")
    if state == Status.RESULT_READY:
        for officer in (w.specialist, w.unit_leader, w.leader):
            dossier = services.forward(dossier, officer)
        services.record_payment(dossier, amount=100_000, reference="x")
        return services.complete(dossier, w.clerk)
    return dossier


def call(action, dossier, actor):
    """Each action through its public service, with plausible parameters."""
    calls = {
        "submit": lambda: services.submit(dossier, actor),
        "receive": lambda: services.receive(dossier, actor),
        "refuse": lambda: services.refuse(dossier, actor, reason="Lý do"),
        "request_supplement": lambda: services.request_supplement(
            dossier, actor, items=["B"], guidance="B"
        ),
        "resubmit": lambda: services.resubmit(dossier, actor),
        "claim": lambda: services.claim(dossier, actor),
        "forward": lambda: services.forward(dossier, actor),
        "send_back": lambda: services.send_back(dossier, actor, reason="Lý do"),
        "complete": lambda: services.complete(dossier, actor),
        "decline": lambda: services.decline(dossier, actor, reason="Lý do"),
        "extend": lambda: services.extend(
            dossier,
            actor,
            new_due_at=at("2026-03-20T10:00:00+07:00"),
            apology="Xin lỗi",
            at=at("2026-03-03T10:00:00+07:00"),
        ),
        "confirm_extension": lambda: services.confirm_extension(dossier, actor),
        "return_result": lambda: services.return_result(dossier, actor),
        "withdraw": lambda: services.withdraw(dossier, actor),
    }
    if action in {"timeout", "expire"}:
        # The System's actions take no actor; check that no person may take them.
        return services._perform(dossier, action, actor, lambda a: None)
    return calls[action]()


def outsider(w, rule):
    """Someone the rule does not admit."""
    if SYSTEM in rule.actors:
        return w.citizen
    if APPLICANT in rule.actors:
        return w.monitor
    return w.other_citizen


@pytest.mark.parametrize(("state", "action"), sorted(TRANSITIONS))
def test_refused_for_anyone_not_named(world, state, action):
    dossier = in_state(world, state)
    events = DossierEvent.objects.count()
    with pytest.raises(ActionForbidden):
        call(action, dossier, outsider(world, TRANSITIONS[(state, action)]))
    dossier.refresh_from_db()
    assert dossier.status == state and DossierEvent.objects.count() == events


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (s, a)
        for s in Status.values
        for a in ACTIONS
        if (s, a) not in TRANSITIONS
        and s in {"draft", "submitted", "processing", "awaiting_supplement", "result_ready"}
    ],
)
def test_refused_in_any_other_state(world, state, action):
    dossier = in_state(world, state)
    with pytest.raises(TransitionNotAllowed):
        call(action, dossier, world.citizen)
    dossier.refresh_from_db()
    assert dossier.status == state


@pytest.mark.parametrize(
    ("state", "action", "who", "to"),
    [
        ("draft", "submit", "citizen", "submitted"),
        ("submitted", "receive", "desk_officer", "processing"),
        ("submitted", "request_supplement", "desk_officer", "awaiting_supplement"),
        ("submitted", "refuse", "desk_officer", "refused"),
        ("submitted", "withdraw", "citizen", "withdrawn"),
        ("processing", "claim", "specialist", "processing"),
        ("processing", "forward", "specialist", "processing"),
        ("processing", "request_supplement", "specialist", "awaiting_supplement"),
        ("processing", "extend", "leader", "processing"),
        ("processing", "decline", "leader", "declined"),
        ("processing", "withdraw", "citizen", "withdrawn"),
        ("awaiting_supplement", "resubmit", "citizen", "processing"),
        ("awaiting_supplement", "withdraw", "citizen", "withdrawn"),
        ("result_ready", "return_result", "desk_officer", "returned"),
    ],
)
def test_allowed_for_its_actor(world, state, action, who, to):
    dossier = in_state(world, state)
    assert call(action, dossier, getattr(world, who)).status == to


@pytest.mark.parametrize(
    ("state", "action"),
    sorted(k for k, rule in TRANSITIONS.items() if not rule.actors & {APPLICANT, SYSTEM}),
)
def test_refused_to_the_right_role_in_another_agency(world, state, action):
    """Staff act only on their agency's dossiers (and the steps at their unit)."""
    from motcua.accounts.models import User

    dossier = in_state(world, state)
    for role in sorted(TRANSITIONS[(state, action)].actors):
        stranger = User.objects.create(
            username=f"khac.{role}", kind=User.Kind.STAFF, role=role, agency=world.commune
        )
        with pytest.raises(ActionForbidden):
            call(action, dossier, stranger)
    dossier.refresh_from_db()
    assert dossier.status == state


def test_every_action_has_a_label_for_the_history():
    from motcua.dossiers.models import ACTION_LABELS

    assert set(ACTIONS) <= set(ACTION_LABELS)
