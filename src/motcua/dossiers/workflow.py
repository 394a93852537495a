"""The dossier lifecycle as one table: ``(state, action) → Rule(to, actors)`` (SPEC §2).

Guards that depend on the regulation (limits, notice periods, fees) live in
:mod:`motcua.dossiers.services`, next to the effect of each action; this table says only
which transitions exist and who may ask for them.
"""

from dataclasses import dataclass

from motcua.accounts.models import Role

from .errors import TransitionNotAllowed
from .models import Status

APPLICANT = "applicant"  # the dossier's applicant or its authorised submitter
SYSTEM = "system"  # scheduled jobs: timeouts, expiries

#: ``to`` of a resubmission: back to the state the supplement request interrupted.
RESUME = "resume"

PROCESSORS = frozenset(
    {Role.SPECIALIST, Role.UNIT_LEADER, Role.AGENCY_LEADER, Role.CLERK, Role.RECEPTION_OFFICER}
)


@dataclass(frozen=True)
class Rule:
    to: str
    actors: frozenset
    notify_applicant: bool = True


def _rule(to, *actors, notify_applicant=True) -> Rule:
    return Rule(to, frozenset(actors), notify_applicant)


TRANSITIONS: dict[tuple[str, str], Rule] = {
    (Status.DRAFT, "submit"): _rule(Status.SUBMITTED, APPLICANT, Role.RECEPTION_OFFICER),
    (Status.SUBMITTED, "receive"): _rule(Status.PROCESSING, Role.RECEPTION_OFFICER),
    (Status.SUBMITTED, "request_supplement"): _rule(
        Status.AWAITING_SUPPLEMENT, Role.RECEPTION_OFFICER
    ),
    (Status.SUBMITTED, "refuse"): _rule(Status.REFUSED, Role.RECEPTION_OFFICER),
    (Status.PROCESSING, "claim"): _rule(Status.PROCESSING, *PROCESSORS, notify_applicant=False),
    (Status.PROCESSING, "forward"): _rule(Status.PROCESSING, *PROCESSORS, notify_applicant=False),
    (Status.PROCESSING, "send_back"): _rule(Status.PROCESSING, *PROCESSORS, notify_applicant=False),
    (Status.PROCESSING, "complete"): _rule(Status.RESULT_READY, *PROCESSORS),
    (Status.PROCESSING, "request_supplement"): _rule(Status.AWAITING_SUPPLEMENT, *PROCESSORS),
    (Status.PROCESSING, "extend"): _rule(Status.PROCESSING, Role.AGENCY_LEADER),
    (Status.PROCESSING, "confirm_extension"): _rule(Status.PROCESSING, Role.RECEPTION_OFFICER),
    (Status.PROCESSING, "decline"): _rule(Status.DECLINED, Role.AGENCY_LEADER, Role.UNIT_LEADER),
    (Status.AWAITING_SUPPLEMENT, "resubmit"): _rule(RESUME, APPLICANT, Role.RECEPTION_OFFICER),
    (Status.AWAITING_SUPPLEMENT, "timeout"): _rule(Status.CANCELLED, SYSTEM),
    (Status.RESULT_READY, "return_result"): _rule(
        Status.RETURNED, Role.RECEPTION_OFFICER, Role.CLERK
    ),
    (Status.RESULT_READY, "expire"): _rule(Status.EXPIRED, SYSTEM),
    **{
        (state, "withdraw"): _rule(Status.WITHDRAWN, APPLICANT)
        for state in (Status.SUBMITTED, Status.PROCESSING, Status.AWAITING_SUPPLEMENT)
    },
}

ACTIONS = sorted({action for _state, action in TRANSITIONS})


def rule_for(state: str, action: str) -> Rule:
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise TransitionNotAllowed() from None


def actions_from(state: str) -> list[str]:
    """The actions that exist in a state (who may take them is checked separately)."""
    return [action for (source, action) in TRANSITIONS if source == state]
