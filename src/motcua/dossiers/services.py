"""The dossier engine: every action is one transaction that locks the dossier row, checks
the transition, the actor and the regulation's guards, applies its effect, appends one
immutable history event and writes its outgoing messages to the outbox (SPEC §2).

The public functions (``submit``, ``receive``, …) are the only way a dossier changes state.
``at`` is the instant of the action; only trusted callers (scheduled jobs, imports, the demo)
pass it — the API and the web pages never do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role, User
from motcua.audit import services as audit
from motcua.calendar.arithmetic import WorkingCalendar
from motcua.calendar.services import calendar_for
from motcua.catalogue.forms_schema import validate_form_data
from motcua.catalogue.models import OnlineLevel, Procedure
from motcua.outbox.services import Message, enqueue
from motcua.postal import services as postal
from motcua.profiles import Profile, active_profile
from motcua.reports import tally

from . import codes, deadlines
from .access import check_actor
from .errors import ActionForbidden, RuleViolation
from .models import (
    Apology,
    Channel,
    Dossier,
    DossierEvent,
    DossierResult,
    DossierStep,
    Status,
    SupplementRequest,
)
from .workflow import RESUME, rule_for


@dataclass
class Action:
    """What an effect needs: the locked dossier, who acts and when, and the rules."""

    dossier: Dossier
    actor: User | None
    capacity: str
    at: datetime
    profile: Profile
    calendar: WorkingCalendar
    reason: str
    params: dict
    details: dict = field(default_factory=dict)


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _perform(
    dossier: Dossier,
    action: str,
    actor: User | None,
    effect,
    *,
    at=None,
    reason: str = "",
    **params: Any,
) -> Dossier:
    with transaction.atomic():
        locked = _lock(dossier)
        rule = rule_for(locked.status, action)
        capacity = check_actor(actor, locked, action, rule)
        profile = active_profile()
        context = Action(
            dossier=locked,
            actor=actor,
            capacity=capacity,
            at=_now(at),
            profile=profile,
            calendar=calendar_for(profile),
            reason=reason.strip(),
            params=params,
        )
        from_status = locked.status
        resumed = effect(context)
        to_status = resumed if rule.to == RESUME else rule.to
        locked.status = to_status
        locked.save()
        event = DossierEvent.objects.create(
            dossier=locked,
            action=action,
            from_status=from_status,
            to_status=to_status,
            actor=actor,
            at=context.at,
            reason=context.reason,
            data=context.details,
        )
        _enqueue_messages(locked, event, notify_applicant=rule.notify_applicant)
        tally.record(locked, event, profile=profile, received=locked.received_at is not None)
        audit.record(actor, f"dossier.{action}", locked, {"event": event.pk, "to": to_status})
    return locked


def _lock(dossier: Dossier) -> Dossier:
    """The dossier's row, locked for this transaction, with what every action reads."""
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "agency", "process_version")
        .get(pk=dossier.pk)
    )


def _enqueue_messages(dossier: Dossier, event: DossierEvent, *, notify_applicant: bool):
    """Status push to the national portal for every change; the applicant is told of the
    changes they must know about (SPEC §3 items 9, 22)."""
    payload = {
        "dossier": str(dossier.public_id),
        "code": dossier.code,
        "event": event.pk,
        "action": event.action,
        "status": dossier.status,
        "at": event.at.isoformat(),
        "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
    }
    messages = [Message("national_portal.status", f"status:{event.pk}", payload)]
    if notify_applicant:
        messages.append(Message("notify.applicant", f"notify:{event.pk}", payload))
    enqueue(*messages)


# -- drafts -----------------------------------------------------------------------------
def create_draft(
    procedure: Procedure,
    *,
    applicant: User,
    submitter: User | None = None,
    agency=None,
    channel: str = Channel.ONLINE,
    form_data: dict | None = None,
    authorisation: str = "",
) -> Dossier:
    """A new draft. Submitting for someone else needs a recorded authorisation (HG 5.6)."""
    submitter = submitter or applicant
    if not procedure.is_active:
        raise RuleViolation(
            _("This procedure is not open for applications."), code="procedure_inactive"
        )
    if applicant.kind not in procedure.applicant_kinds:
        raise RuleViolation(
            _("This procedure is not for this kind of applicant."), code="applicant_kind"
        )
    is_desk = submitter.kind == User.Kind.STAFF and submitter.role == Role.RECEPTION_OFFICER
    if submitter.pk != applicant.pk and not is_desk and not authorisation.strip():
        raise RuleViolation(
            _("Submitting for another person or organisation needs their authorisation."),
            code="authorisation_required",
            fields={"authorisation": [_("Required.")]},
        )
    agencies = list(procedure.agencies.filter(status="active"))
    if agency is None:
        if len(agencies) != 1:
            raise RuleViolation(
                _("Choose the agency to apply to."),
                code="agency_required",
                fields={"agency": [_("Required.")]},
            )
        agency = agencies[0]
    elif agency not in agencies:
        raise RuleViolation(
            _("This agency does not handle this procedure."),
            code="agency_not_competent",
            fields={"agency": [_("Invalid.")]},
        )
    return Dossier.objects.create(
        procedure=procedure,
        agency=agency,
        original_agency=agency,
        applicant=applicant,
        submitter=submitter,
        channel=channel,
        form_data=form_data or {},
        authorisation=authorisation.strip(),
    )


# -- reception --------------------------------------------------------------------------
def _require_reason(a: Action, message) -> None:
    """Refusals, declines, returns and apologies are never without their reasons."""
    if not a.reason:
        raise RuleViolation(message, code="reason_required", fields={"reason": [_("Required.")]})


def _submit(a: Action):
    d = a.dossier
    errors = validate_form_data(d.procedure.form_schema, d.form_data)
    if errors:
        raise RuleViolation(_("The form has errors."), code="form_invalid", fields=errors)
    version = d.procedure.current_process(d.agency)
    if version is None:
        raise RuleViolation(_("This procedure has no published process."), code="no_process")
    d.process_version = version
    d.submitted_at = a.at
    local_day = timezone.localtime(a.at, a.calendar.tz).date()
    d.code = codes.next_code(d.agency.code, local_day)
    d.reception_due_at = deadlines.reception_due(a.at, a.profile.reception, a.calendar)
    a.details["reception_due_at"] = d.reception_due_at.isoformat()


def submit(dossier: Dossier, actor: User, *, at=None) -> Dossier:
    """Submit a draft: it gets its code and the time by which it must be received."""
    return _perform(dossier, "submit", actor, _submit, at=at)


def _require_fee(a: Action, action: str):
    """A dossier with a fee does not take the profile's gated action until it is paid
    (TN 20.2, VP 15.4)."""
    d = a.dossier
    gated = a.profile.fee_gate(d.procedure.online_level) == action
    if gated and d.fee_paid_at is None and d.fee_due > 0:
        raise RuleViolation(_("The fee has not been paid."), code="fee_unpaid")


def _activate(a: Action, step: DossierStep, *, save: bool = True):
    step.state = DossierStep.State.ACTIVE
    step.started_at = a.at
    step.due_at = deadlines.step_due(a.at, step.process_step.allotted_hours, a.calendar)
    if save:
        step.save()
    a.dossier.current_step = step


def _finish_step(a: Action, step: DossierStep, *, save: bool = True):
    step.state = DossierStep.State.DONE
    step.done_at = a.at
    step.done_by = a.actor
    step.timeliness = deadlines.classify_finished(
        a.at, step.due_at, extended=False, extension_is_late=False, calendar=a.calendar
    )
    if save:
        step.save()


def _receive(a: Action):
    d = a.dossier
    _require_fee(a, "receive")
    d.received_at = a.at
    d.received_late = d.reception_due_at is not None and a.at > d.reception_due_at
    d.due_at, d.clock_remaining_us = deadlines.processing_clock(
        a.at, d.procedure.processing_days, a.calendar
    )
    d.original_due_at = d.due_at
    d.clock_started_at = a.at
    if d.channel in (Channel.DESK, Channel.POSTAL):
        d.handover_due_at = deadlines.paper_handover_due(a.at, a.profile.reception, a.calendar)
    steps = [
        DossierStep(
            dossier=d,
            process_step=ps,
            order=ps.order,
            role=ps.role,
            agency=(ps.unit or d.agency).successor(),
        )
        for ps in d.process_version.steps.select_related("unit").order_by("order")
    ]
    # The steps are written once, in their state after reception.
    first = steps[0]
    _activate(a, first, save=False)
    if first.role == Role.RECEPTION_OFFICER:
        # The reception step is the act of receiving itself.
        first.assignee = a.actor
        _finish_step(a, first, save=False)
        if len(steps) > 1:
            _activate(a, steps[1], save=False)
    DossierStep.objects.bulk_create(steps)
    a.details.update(
        due_at=d.due_at.isoformat(),
        received_late=d.received_late,
        digitised=d.files.exists(),
    )


def receive(dossier: Dossier, actor: User, *, at=None) -> Dossier:
    """Valid reception: the receipt's appointment is set and the processing clock starts."""
    return _perform(dossier, "receive", actor, _receive, at=at)


def _refuse(a: Action):
    _require_reason(a, _("Give the reasons for refusal."))
    a.dossier.finished_at = a.at


def refuse(dossier: Dossier, actor: User, *, reason: str, at=None) -> Dossier:
    return _perform(dossier, "refuse", actor, _refuse, at=at, reason=reason)


# -- supplement -------------------------------------------------------------------------
def _request_supplement(a: Action):
    d = a.dossier
    rules = a.profile.supplement
    items = [str(i).strip() for i in a.params.get("items") or [] if str(i).strip()]
    if not items or not a.reason:
        raise RuleViolation(
            _("List the documents to add and the guidance."),
            code="supplement_incomplete",
            fields={"items": [_("Required.")], "reason": [_("Required.")]},
        )
    stage = (
        SupplementRequest.Stage.PROCESSING
        if d.status == Status.PROCESSING
        else SupplementRequest.Stage.RECEPTION
    )
    repeat = d.supplement_requests.filter(stage=stage).count() >= rules.max_requests
    if repeat:
        _apologise_for_repeat(a, rules)
    request = SupplementRequest.objects.create(
        dossier=d,
        stage=stage,
        items=items,
        guidance=a.reason,
        requested_by=a.actor,
        requested_at=a.at,
        expires_at=rules.timeout.after(a.at, a.calendar) if rules.timeout else None,
    )
    d.supplement_count += 1
    if stage == SupplementRequest.Stage.PROCESSING:
        # The clock pauses (VP 13.3); so does the active step's.
        d.clock_remaining_us = deadlines.remaining_at(a.at, d.due_at, a.calendar)
        d.clock_started_at = None
        d.paused_at = a.at
    a.details.update(
        items=items,
        stage=stage,
        repeat=repeat,
        expires_at=request.expires_at and request.expires_at.isoformat(),
    )


def _chain(user: User) -> set[int]:
    """The user's agency and the agencies above it (a unit's head signs as its agency's)."""
    ids, agency = set(), user.agency
    while agency is not None and agency.pk not in ids:
        ids.add(agency.pk)
        agency = agency.parent
    return ids


def _apologise_for_repeat(a: Action, rules):
    """Guidance is given once; a further request goes with an apology signed by the head of
    the requester's agency (VP 13.2 at reception, VP 14.1 in processing)."""
    signer = a.params.get("apology_signer")
    if not rules.apology_for_repeat or not a.params.get("apology"):
        raise RuleViolation(
            _(
                "A dossier may be sent back for supplement only once; a further request "
                "needs an apology signed by the head of the agency."
            ),
            code="supplement_limit",
            fields={"apology": [_("Required.")]},
        )
    if (
        signer is None
        or signer.role != Role.AGENCY_LEADER
        or signer.agency_id not in _chain(a.actor)
    ):
        raise RuleViolation(
            _("The apology must be signed by the head of your agency."),
            code="apology_signer",
            fields={"apology_signer": [_("Invalid.")]},
        )
    Apology.objects.create(
        dossier=a.dossier,
        reason=Apology.Reason.REPEAT_SUPPLEMENT,
        explanation=a.params["apology"],
        signed_by=signer,
        signed_at=a.at,
    )


def request_supplement(
    dossier: Dossier,
    actor: User,
    *,
    items: list[str],
    guidance: str,
    apology: str = "",
    apology_signer: User | None = None,
    at=None,
) -> Dossier:
    """Phiếu yêu cầu bổ sung: what to add; in processing it pauses the clock."""
    return _perform(
        dossier,
        "request_supplement",
        actor,
        _request_supplement,
        at=at,
        reason=guidance,
        items=items,
        apology=apology.strip(),
        apology_signer=apology_signer,
    )


def _open_request(d: Dossier) -> SupplementRequest:
    return d.supplement_requests.filter(answered_at__isnull=True).latest("requested_at")


def _resubmit(a: Action) -> str:
    d = a.dossier
    request = _open_request(d)
    request.answered_at = a.at
    request.save(update_fields=["answered_at"])
    if "form_data" in a.params:
        d.form_data = a.params["form_data"]
        errors = validate_form_data(d.procedure.form_schema, d.form_data)
        if errors:
            raise RuleViolation(_("The form has errors."), code="form_invalid", fields=errors)
    if request.stage == SupplementRequest.Stage.RECEPTION:
        # Back to reception: a new submission time and reception limit.
        d.submitted_at = a.at
        d.reception_due_at = deadlines.reception_due(a.at, a.profile.reception, a.calendar)
        a.details["reception_due_at"] = d.reception_due_at.isoformat()
        return Status.SUBMITTED
    # The clock resumes (or restarts) with a new appointment (VP 13.3).
    if a.profile.supplement.clock == "restart":
        d.due_at, d.clock_remaining_us = deadlines.processing_clock(
            a.at, d.procedure.processing_days, a.calendar
        )
    else:
        d.due_at = a.calendar.add(a.at, d.clock_remaining_us)
    paused_for = a.calendar.between(d.paused_at, a.at)
    step = d.current_step
    if step is not None and step.due_at is not None:
        left = deadlines.remaining_at(d.paused_at, step.due_at, a.calendar)
        step.due_at = a.calendar.add(a.at, left)
        step.save(update_fields=["due_at"])
    d.clock_started_at = a.at
    d.paused_at = None
    a.details.update(due_at=d.due_at.isoformat(), paused_working_us=paused_for)
    return Status.PROCESSING


def resubmit(dossier: Dossier, actor: User, *, form_data: dict | None = None, at=None) -> Dossier:
    """The applicant's answer to a supplement request."""
    params = {} if form_data is None else {"form_data": form_data}
    return _perform(dossier, "resubmit", actor, _resubmit, at=at, **params)


def _timeout(a: Action):
    request = _open_request(a.dossier)
    if request.expires_at is None or a.at < request.expires_at:
        raise RuleViolation(_("The supplement request has not expired."), code="not_expired")
    a.dossier.finished_at = a.at
    a.details["article"] = a.profile.supplement.timeout.article


def timeout(dossier: Dossier, *, at=None) -> Dossier:
    """An unanswered supplement request cancels the dossier (HG 5.5)."""
    return _perform(dossier, "timeout", None, _timeout, at=at)


# -- processing -------------------------------------------------------------------------
def _steps(d: Dossier) -> list[DossierStep]:
    return list(d.steps.select_related("process_step").order_by("order"))


def _claim(a: Action):
    step = a.dossier.current_step
    if step.assignee_id not in (None, a.actor.pk):
        raise RuleViolation(_("Another officer has taken this step."), code="step_taken")
    step.assignee = a.actor
    step.save(update_fields=["assignee"])
    a.details["step"] = step.order


def claim(dossier: Dossier, actor: User, *, at=None) -> Dossier:
    """Take the current step: it shows in the officer's own queue (SPEC §3 item 13)."""
    return _perform(dossier, "claim", actor, _claim, at=at)


def _forward(a: Action):
    d = a.dossier
    steps = _steps(d)
    current = next(s for s in steps if s.pk == d.current_step_id)
    later = [s for s in steps if s.order > current.order]
    if not later:
        raise RuleViolation(
            _("This is the last step: complete the dossier instead."), code="last_step"
        )
    _finish_step(a, current)
    _activate(a, later[0])
    a.details.update(step=current.order, next_step=later[0].order)


def forward(dossier: Dossier, actor: User, *, note: str = "", at=None) -> Dossier:
    """Finish the current step and pass the dossier to the next one."""
    return _perform(dossier, "forward", actor, _forward, at=at, reason=note)


def _send_back(a: Action):
    d = a.dossier
    steps = _steps(d)
    current = next(s for s in steps if s.pk == d.current_step_id)
    earlier = [s for s in steps if s.order < current.order and s.role != Role.RECEPTION_OFFICER]
    if not earlier:
        raise RuleViolation(
            _("There is no previous step to send the dossier back to."), code="first_step"
        )
    _require_reason(a, _("Say why the dossier goes back."))
    current.state = DossierStep.State.PENDING
    current.started_at = current.due_at = None
    current.save()
    _activate(a, earlier[-1])
    a.details.update(step=current.order, back_to=earlier[-1].order)


def send_back(dossier: Dossier, actor: User, *, reason: str, at=None) -> Dossier:
    return _perform(dossier, "send_back", actor, _send_back, at=at, reason=reason)


def _settle(a: Action):
    """Early, on time or late against the first appointment (SPEC §2 "Classification")."""
    d = a.dossier
    d.timeliness = deadlines.classify_finished(
        a.at,
        d.original_due_at,
        extended=d.extension_count > 0,
        extension_is_late=a.profile.extension.counts_as_late,
        calendar=a.calendar,
    )


def _complete(a: Action):
    d = a.dossier
    steps = _steps(d)
    if steps[-1].pk != d.current_step_id:
        raise RuleViolation(
            _("Forward the dossier through its remaining steps first."), code="steps_remaining"
        )
    _require_fee(a, "complete")
    _finish_step(a, steps[-1])
    d.current_step = None
    d.result_ready_at = a.at
    d.clock_started_at = None
    _settle(a)
    a.details["timeliness"] = d.timeliness


def complete(dossier: Dossier, actor: User, *, at=None) -> Dossier:
    """The result is ready: the dossier is settled early, on time or late."""
    return _perform(dossier, "complete", actor, _complete, at=at)


def _decline(a: Action):
    _require_reason(a, _("Give the reasons for declining."))
    _settle(a)
    a.details["timeliness"] = a.dossier.timeliness
    a.dossier.finished_at = a.at
    a.dossier.current_step = None
    a.dossier.clock_started_at = None


def decline(dossier: Dossier, actor: User, *, reason: str, at=None) -> Dossier:
    """Không giải quyết: the agency settles the dossier by declining it, with reasons."""
    return _perform(dossier, "decline", actor, _decline, at=at, reason=reason)


def _extend(a: Action):
    d = a.dossier
    rules = a.profile.extension
    new_due = a.params["new_due_at"]
    if d.extension_count >= rules.max_count:
        raise RuleViolation(
            _("The processing time may be extended only once."), code="extension_limit"
        )
    if not deadlines.extension_notice_met(a.at, d.due_at, rules, a.calendar):
        raise RuleViolation(
            _("An extension must be asked at least %(notice)s before the due time.")
            % {"notice": rules.notice},
            code="extension_notice",
        )
    if new_due <= d.due_at:
        raise RuleViolation(
            _("The new appointment must be later than the present one."),
            code="extension_date",
            fields={"new_due_at": [_("Too early.")]},
        )
    _require_reason(a, _("Explain the delay in the apology."))
    apology = Apology.objects.create(
        dossier=d,
        reason=Apology.Reason.EXTENSION,
        explanation=a.reason,
        signed_by=a.actor,
        signed_at=a.at,
        previous_due_at=d.due_at,
        new_due_at=new_due,
    )
    d.extension_count += 1
    awaiting = _needs_confirmation(a)
    if not awaiting:
        _apply_extension(a, apology)
    a.details.update(
        apology=apology.pk, new_due_at=new_due.isoformat(), awaiting_confirmation=awaiting
    )


def _needs_confirmation(a: Action) -> bool:
    """The provincial centre confirms extensions of province and district agencies; a
    commune sends its apology directly (VP 14.4.a, 14.4.b)."""
    return (
        a.profile.extension.confirmation == "centre_for_province_agencies"
        and a.dossier.agency.level != "commune"
    )


def _apply_extension(a: Action, apology: Apology):
    d = a.dossier
    d.due_at = apology.new_due_at
    d.clock_started_at = a.at
    d.clock_remaining_us = deadlines.remaining_at(a.at, d.due_at, a.calendar)


def extend(
    dossier: Dossier, actor: User, *, new_due_at: datetime, apology: str, at=None
) -> Dossier:
    """Extension with an apology and a new date, at most once (VP 14.4)."""
    return _perform(dossier, "extend", actor, _extend, at=at, reason=apology, new_due_at=new_due_at)


def _confirm_extension(a: Action):
    apology = a.dossier.apologies.filter(
        reason=Apology.Reason.EXTENSION, confirmed_at__isnull=True
    ).first()
    if apology is None or not _needs_confirmation(a):
        raise RuleViolation(
            _("There is no extension awaiting confirmation."), code="nothing_to_confirm"
        )
    if a.actor.agency_id == a.dossier.agency_id:
        raise ActionForbidden(_("The one-stop centre, not the agency, confirms an extension."))
    apology.confirmed_by, apology.confirmed_at = a.actor, a.at
    apology.save(update_fields=["confirmed_by", "confirmed_at"])
    _apply_extension(a, apology)
    a.details.update(apology=apology.pk, due_at=a.dossier.due_at.isoformat())


def confirm_extension(dossier: Dossier, actor: User, *, at=None) -> Dossier:
    """The provincial one-stop centre confirms an extension (VP 14.4.a)."""
    return _perform(dossier, "confirm_extension", actor, _confirm_extension, at=at)


# -- results ----------------------------------------------------------------------------
def _return_result(a: Action):
    d = a.dossier
    _require_fee(a, "return_result")
    if d.procedure.online_level == OnlineLevel.PARTIAL and not a.params.get("originals_checked"):
        raise RuleViolation(
            _("Check the originals before returning the result (VP 16.1)."),
            code="originals_unchecked",
        )
    method = a.params.get("method", "desk")
    if method == "post":
        tracking = (a.params.get("tracking_number") or "").strip()
        if tracking:
            a.details["tracking_number"] = tracking
        else:
            shipment = postal.order_shipment(
                d, recipient=a.params.get("recipient"), by=a.actor, at=a.at
            )
            a.details["shipment"] = str(shipment.public_id)
    if method == "online" and not hasattr(d, "result"):
        raise RuleViolation(_("Attach the electronic result first."), code="no_result")
    d.finished_at = a.at
    a.details["method"] = method
    if DossierResult.objects.filter(dossier=d, signed=True).exists():
        a.details["e_result"] = True  # counted by the reports (Decision 766)


def return_result(
    dossier: Dossier,
    actor: User,
    *,
    method: str = "desk",
    originals_checked: bool = False,
    tracking_number: str = "",
    recipient: postal.Party | None = None,
    at=None,
) -> Dossier:
    """Hand the result over: at the desk (originals checked for partial level, VP 16.1), by
    post or online (the signed e-result). By post, either the tracking number of an item
    the officer posted by hand is recorded, or the item is booked with the public postal
    service for ``recipient`` (default: the applicant) through the outbox (BN 8.3, BN 28)."""
    return _perform(
        dossier,
        "return_result",
        actor,
        _return_result,
        at=at,
        method=method,
        originals_checked=originals_checked,
        tracking_number=tracking_number,
        recipient=recipient,
    )


def _expire(a: Action):
    d = a.dossier
    if d.procedure.online_level != OnlineLevel.PARTIAL:
        raise RuleViolation(_("Only partial-level dossiers expire."), code="not_partial")
    period = a.profile.results.originals_deadline
    if period is None:
        raise RuleViolation(
            _("The regulation sets no deadline for the originals."), code="no_originals_deadline"
        )
    if a.at < period.after(d.result_ready_at, a.calendar):
        raise RuleViolation(_("The originals may still be brought in."), code="not_expired")
    d.finished_at = a.at
    a.details["article"] = period.article


def expire(dossier: Dossier, *, at=None) -> Dossier:
    """Originals not brought in time: the result lapses (VP 16.1)."""
    return _perform(dossier, "expire", None, _expire, at=at)


def _withdraw(a: Action):
    a.dossier.finished_at = a.at
    a.dossier.current_step = None
    a.dossier.clock_started_at = None


def withdraw(dossier: Dossier, actor: User, *, reason: str = "", at=None) -> Dossier:
    return _perform(dossier, "withdraw", actor, _withdraw, at=at, reason=reason)


# -- fees -------------------------------------------------------------------------------
def record_payment(
    dossier: Dossier, *, amount: int, reference: str, actor: User | None = None, at=None
) -> Dossier:
    """Record the fee as paid, once per dossier (TN 20.2): a repeated notice of the same
    payment changes nothing."""
    with transaction.atomic():
        d = _lock(dossier)
        if d.fee_paid_at is not None:
            return d
        if d.status == Status.DRAFT:
            raise RuleViolation(_("Submit the dossier before paying."), code="not_submitted")
        if amount != d.fee_due:
            raise RuleViolation(
                _("The amount paid does not match the fee."), code="amount_mismatch"
            )
        d.fee_paid_at = _now(at)
        d.save(update_fields=["fee_paid_at"])
        event = DossierEvent.objects.create(
            dossier=d,
            action="pay",
            from_status=d.status,
            to_status=d.status,
            actor=actor,
            at=d.fee_paid_at,
            data={"amount": amount, "reference": reference},
        )
        _enqueue_messages(d, event, notify_applicant=True)
        tally.record(d, event, profile=active_profile(), received=d.received_at is not None)
        audit.record(actor, "dossier.pay", d, {"event": event.pk, "amount": amount})
    return d
