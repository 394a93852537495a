"""The applicant's side of a dossier in the Portal (SPEC §3 items 3, 4, 6): online
submission with drafts, documents uploaded or reused from the DataVault, applying for another
person only under an authorisation (HG 5.6), answers to supplement requests (VP 13.3), and
what the applicant may read and download of their own dossiers.

Nothing here changes a dossier's state itself: the engine (``dossiers.services``) does; bad
input is refused before anything is written, and every write is one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import User
from motcua.catalogue.forms_schema import validate_form_data
from motcua.catalogue.models import Agency, Component, OnlineLevel, Procedure
from motcua.documents import sheets
from motcua.dossiers import files, services
from motcua.dossiers.access import visible_dossiers
from motcua.dossiers.desk import Applicant, applicant_account
from motcua.dossiers.errors import ActionForbidden, RuleViolation, TransitionNotAllowed
from motcua.dossiers.models import (
    FINAL_STATES,
    Apology,
    Dossier,
    DossierEvent,
    Status,
    SupplementRequest,
)
from motcua.dossiers.workflow import actions_from
from motcua.vault import services as vault

from .auth import APPLICANT_KINDS


@dataclass(frozen=True)
class Principal:
    """The person or organisation applied for, and the authorisation to do so (HG 5.6)."""

    identifier: str  # personal ID (12 digits) or tax code (10 or 13 digits)
    full_name: str
    authorisation: str


@dataclass
class Application:
    """What the applicant filled in: e-form data, agency, documents, maybe a principal."""

    form_data: dict
    agency: Agency | None = None
    uploads: dict[Component, tuple[str, bytes]] = field(default_factory=dict)
    reused: dict[Component, vault.VaultDocument] = field(default_factory=dict)
    principal: Principal | None = None


def dossiers_of(user: User):
    """The dossiers the applicant may see: theirs and those they submitted for others."""
    return visible_dossiers(user).select_related("procedure", "agency", "applicant")


def drafts_of(user: User):
    """Drafts the applicant may take up again: only those they started themselves."""
    return Dossier.objects.filter(submitter=user, status=Status.DRAFT)


# -- submission -------------------------------------------------------------------------
def _invalid(errors: dict) -> RuleViolation:
    return RuleViolation(
        _("Please correct the fields marked below."), code="application_invalid", fields=errors
    )


def _form_errors(procedure: Procedure, form_data: dict, *, complete: bool) -> dict:
    """E-form errors; a draft may leave fields empty but not fill them wrongly."""
    errors = validate_form_data(procedure.form_schema, form_data)
    if not complete:
        errors = {name: messages for name, messages in errors.items() if name in form_data}
    return errors


def _document_errors(application: Application, user: User) -> dict:
    """Each upload and each reused document checked against its component (VP 11.1)."""
    errors = {}
    for component, (name, content) in application.uploads.items():
        try:
            files.check_upload(component, name, content)
        except RuleViolation as error:
            errors[f"component_{component.pk}"] = [error.message]
    for component, document in application.reused.items():
        key = f"component_{component.pk}"
        if component in application.uploads:
            continue
        if document.owner_id != user.pk or document.deleted_at is not None:
            errors[key] = [_("This document is not in your vault.")]
            continue
        with document.file.open("rb") as handle:
            content = handle.read()
        try:
            files.check_upload(component, document.original_name, content)
        except RuleViolation as error:
            errors[key] = [error.message]
    return errors


def missing_components(procedure: Procedure, present: set[int]) -> list[Component]:
    """Required components among which none of ``present`` (component ids) is."""
    return [c for c in procedure.components.all() if c.required and c.pk not in present]


def _missing_errors(missing: list[Component]) -> dict:
    return {
        f"component_{c.pk}": [_("%(name)s is required: attach it.") % {"name": c.name}]
        for c in missing
    }


def require_documents(dossier: Dossier) -> None:
    """Every required document is attached before an online submission (VP 11.1)."""
    present = set(dossier.files.values_list("component_id", flat=True))
    missing = missing_components(dossier.procedure, present)
    if missing:
        raise RuleViolation(
            _("Attach every required document: %(names)s.")
            % {"names": "; ".join(c.name for c in missing)},
            code="documents_missing",
            fields=_missing_errors(missing),
        )


def check_online(procedure: Procedure) -> None:
    if not procedure.is_active or procedure.online_level == OnlineLevel.OFFLINE:
        raise RuleViolation(
            _("This procedure cannot be applied for online; apply at the one-stop desk."),
            code="not_online",
        )


def save_application(
    procedure: Procedure,
    user: User,
    application: Application,
    *,
    draft: Dossier | None = None,
    submit: bool = False,
) -> Dossier:
    """Save the applicant's draft (new or taken up again) and, with ``submit``, submit it.
    All the errors of the input are reported together and nothing is saved."""
    check_online(procedure)
    errors = _form_errors(procedure, application.form_data, complete=submit)
    errors.update(_document_errors(application, user))
    if submit:
        present = {c.pk for c in [*application.uploads, *application.reused]}
        if draft is not None:
            present.update(draft.files.values_list("component_id", flat=True))
        errors.update(_missing_errors(missing_components(procedure, present)))
    if errors:
        raise _invalid(errors)
    with transaction.atomic():
        if draft is None:
            dossier = _new_draft(procedure, user, application)
        else:
            dossier = _update_draft(procedure, draft, user, application)
        _attach(dossier, user, application, replace=True)
        if submit:
            require_documents(dossier)
            dossier = services.submit(dossier, user)
    return dossier


def _principal_account(principal: Principal) -> User:
    """The account of the person applied for, opened for them the first time (like the
    desk does); never a staff account."""
    account = applicant_account(Applicant(principal.identifier, principal.full_name))
    if account.kind not in APPLICANT_KINDS or not account.is_active:
        raise RuleViolation(
            _("No applicant has this ID number or tax code."),
            code="principal_invalid",
            fields={"principal_identifier": [_("Check the number.")]},
        )
    return account


def _new_draft(procedure: Procedure, user: User, application: Application) -> Dossier:
    """``create_draft`` refuses to submit for another without an authorisation (HG 5.6)."""
    principal = application.principal
    applicant = _principal_account(principal) if principal else user
    return services.create_draft(
        procedure,
        applicant=applicant,
        submitter=user,
        agency=application.agency,
        form_data=application.form_data,
        authorisation=principal.authorisation if principal else "",
    )


def _update_draft(
    procedure: Procedure, draft: Dossier, user: User, application: Application
) -> Dossier:
    locked = Dossier.objects.select_for_update().get(pk=draft.pk)
    if locked.status != Status.DRAFT:
        raise TransitionNotAllowed()
    if locked.submitter_id != user.pk:
        raise ActionForbidden()
    agency = application.agency
    if agency is not None and agency.pk != locked.agency_id:
        if not procedure.agencies.filter(pk=agency.pk, status=Agency.Status.ACTIVE).exists():
            raise RuleViolation(
                _("This agency does not handle this procedure."),
                code="agency_not_competent",
                fields={"agency": [_("Invalid.")]},
            )
        locked.agency = locked.original_agency = agency
    locked.form_data = application.form_data
    locked.save(update_fields=["agency", "original_agency", "form_data"])
    return locked


def _attach(dossier: Dossier, user: User, application: Application, *, replace: bool) -> None:
    """Store the uploads and copy the reused documents; in a draft, a new document of a
    component replaces the one before."""
    chosen = [(c, "upload", v) for c, v in application.uploads.items()] + [
        (c, "vault", v) for c, v in application.reused.items() if c not in application.uploads
    ]
    for component, kind, value in chosen:
        if replace:
            _discard(dossier, component)
        if kind == "upload":
            name, content = value
            files.attach(dossier, component, name, content, by=user)
        else:
            vault.copy_to_dossier(value, dossier, component, by=user)


def _discard(dossier: Dossier, component: Component) -> None:
    for record in dossier.files.filter(component=component):
        storage, name = record.file.storage, record.file.name
        record.delete()
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


# -- after submission -------------------------------------------------------------------
def fee_outstanding(dossier: Dossier) -> bool:
    """A fee is due and unpaid on a dossier with the administration (BN 14.4, VP 15)."""
    return (
        dossier.status not in FINAL_STATES
        and dossier.status != Status.DRAFT
        and dossier.fee_paid_at is None
        and dossier.fee_due > 0
    )


def can_withdraw(dossier: Dossier) -> bool:
    return "withdraw" in actions_from(dossier.status)


def can_rate(dossier: Dossier) -> bool:
    """Finished dossiers are rated (BN 8.4); a withdrawn one was never settled."""
    return dossier.status in FINAL_STATES and dossier.status != Status.WITHDRAWN


def open_supplement(dossier: Dossier) -> SupplementRequest | None:
    if dossier.status != Status.AWAITING_SUPPLEMENT:
        return None
    return dossier.supplement_requests.filter(answered_at__isnull=True).last()


def answer_supplement(
    dossier: Dossier, user: User, application: Application, *, form_data: dict | None = None
) -> Dossier:
    """The applicant's answer to a supplement request: the documents asked for and, if
    needed, a corrected form; the clock resumes with a new appointment (VP 13.3)."""
    changed = form_data is not None and form_data != dossier.form_data
    if not (application.uploads or application.reused or changed):
        raise RuleViolation(
            _("Attach the documents asked for, or correct the form."), code="supplement_empty"
        )
    errors = _document_errors(application, user)
    if changed:
        errors.update(_form_errors(dossier.procedure, form_data, complete=True))
    if errors:
        raise _invalid(errors)
    with transaction.atomic():
        _attach(dossier, user, application, replace=False)
        return services.resubmit(dossier, user, form_data=form_data if changed else None)


# -- what the applicant reads -----------------------------------------------------------
#: Steps between officers: the applicant sees the progress, not the routing.
INTERNAL_ACTIONS = frozenset({"claim", "forward", "send_back"})
#: Actions whose reasons are written for the applicant; other notes stay internal.
PUBLIC_REASONS = frozenset({"refuse", "decline", "request_supplement", "extend", "withdraw"})


@dataclass(frozen=True)
class HistoryEntry:
    label: str
    at: datetime
    status: str
    reason: str


def public_history(dossier: Dossier) -> list[HistoryEntry]:
    """The dossier's history as the applicant may read it (SPEC §2): no internal steps,
    no officers' notes."""
    return [
        HistoryEntry(
            label=str(event.action_label),
            at=event.at,
            status=event.get_to_status_display(),
            reason=event.reason if event.action in PUBLIC_REASONS else "",
        )
        for event in dossier.events.exclude(action__in=INTERNAL_ACTIONS).order_by("at", "id")
    ]


@dataclass(frozen=True)
class SheetLink:
    kind: str
    label: str
    number: int | None
    issued_at: datetime


SHEET_LABELS = {
    "receipt": gettext_lazy("Receipt and appointment"),
    "supplement": gettext_lazy("Supplement request"),
    "refusal": gettext_lazy("Refusal"),
    "apology": gettext_lazy("Apology and new appointment"),
}


def _effective_apologies(dossier: Dossier) -> list[Apology]:
    """Apologies the applicant has received: an extension still awaiting the centre's
    confirmation (VP 14.4.a) is not one yet."""
    awaiting = set(
        DossierEvent.objects.filter(
            dossier=dossier, action="extend", data__awaiting_confirmation=True
        ).values_list("data__apology", flat=True)
    )
    return [
        apology
        for apology in dossier.apologies.all()
        if apology.confirmed_at is not None or apology.pk not in awaiting
    ]


def sheets_for(dossier: Dossier) -> list[SheetLink]:
    """The official sheets (Circular 01/2018/TT-VPCP) issued to the applicant so far."""
    if dossier.code is None:
        return []
    links = []
    if dossier.received_at:
        links.append(SheetLink("receipt", SHEET_LABELS["receipt"], None, dossier.received_at))
    for request in dossier.supplement_requests.all():
        links.append(
            SheetLink("supplement", SHEET_LABELS["supplement"], request.pk, request.requested_at)
        )
    refusal = dossier.events.filter(action__in=("refuse", "decline")).last()
    if refusal is not None:
        links.append(SheetLink("refusal", SHEET_LABELS["refusal"], None, refusal.at))
    for apology in _effective_apologies(dossier):
        links.append(SheetLink("apology", SHEET_LABELS["apology"], apology.pk, apology.signed_at))
    return sorted(links, key=lambda link: link.issued_at)


def sheet_pdf(dossier: Dossier, kind: str, number: int | None, base_url: str) -> bytes:
    """The PDF of one of :func:`sheets_for`; :class:`LookupError` for any other."""
    if not any(s.kind == kind and s.number == number for s in sheets_for(dossier)):
        raise LookupError(kind)
    if kind == "receipt":
        return sheets.receipt_pdf(dossier, base_url=base_url)
    if kind == "refusal":
        return sheets.refusal_pdf(dossier, base_url=base_url)
    if kind == "supplement":
        return sheets.supplement_pdf(dossier.supplement_requests.get(pk=number), base_url=base_url)
    return sheets.apology_pdf(dossier.apologies.get(pk=number), base_url=base_url)
