"""Integration with the national public-service portal (SPEC §3 item 22): the province's
system stays connected with it (BN 4.3), and the portal rates each agency from the dossiers
and statuses synchronised to it (TN 21.1).

* every status change of a dossier is pushed in the portal's terms, through the outbox
  (:func:`push_status`, the handler of ``national_portal.status``);
* dossiers submitted on the national portal are pulled into the dossier engine once each and
  acknowledged (:func:`pull_dossiers`);
* the catalogue follows the national procedure database, CSDL TTHC (:func:`sync_catalogue`):
  the name, legal basis, processing time, fees and dossier components of a procedure are the
  national data the province publishes (BN 6, HT 3.1.a).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Role, User
from motcua.catalogue.models import Agency, Component, Fee, Procedure
from motcua.catalogue.services import apply_rows, journal
from motcua.dossiers import services as engine
from motcua.dossiers.errors import DossierError, RuleViolation
from motcua.dossiers.models import Channel, Dossier
from motcua.identity.services import PHONE, normalise_phone
from motcua.outbox.delivery import PermanentFailure
from motcua.outbox.models import OutboxMessage

from .adapters import (
    NationalApplicant,
    NationalDossierRecord,
    NationalPortal,
    NationalPortalError,
    NationalProcedure,
    get_portal,
)
from .models import ProcedureSync, PulledDossier
from .statuses import NoNationalStatus, national_status

STATUS_TOPIC = "national_portal.status"

#: The national portal's ``KenhThucHien``: 1 at the desk, 2 online, 3 by post.
CHANNELS = {
    Channel.DESK: "1",
    Channel.ONLINE: "2",
    Channel.NATIONAL_PORTAL: "2",
    Channel.POSTAL: "3",
}

#: The account the catalogue's change journal names for what the national database changed.
PORTAL_USERNAME = "dvcqg"

#: Formats a component added by the national database accepts until an administrator
#: narrows them (the national database does not publish formats).
DEFAULT_FORMATS = ["pdf", "jpg", "jpeg", "png"]


# -- status push ---------------------------------------------------------------------------
def national_time(value: datetime | str | None) -> str | None:
    """The portal's date-time: local time as ``yyyyMMddHHmmss``."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return timezone.localtime(value).strftime("%Y%m%d%H%M%S")


def status_record(payload: dict) -> dict:
    """The status record the portal receives for one outbox payload of the dossier engine
    (``_enqueue_messages``): the change as it was, with the dossier's identifiers."""
    code, label = national_status(payload["action"], payload["status"])
    dossier = Dossier.objects.select_related("procedure", "agency").get(
        public_id=payload["dossier"]
    )
    pulled = PulledDossier.objects.filter(dossier=dossier).first()
    return {
        "MaHoSo": payload["code"] or dossier.code,
        "MaHoSoQG": pulled.national_id if pulled else None,
        "MaTTHC": dossier.procedure.national_code,
        "MaDonVi": dossier.agency.code,
        "KenhThucHien": CHANNELS[dossier.channel],
        "TrangThaiHoSo": code,
        "TenTrangThaiHoSo": label,
        "HanhDong": payload["action"],
        "MaSuKien": payload["event"],
        "NgayCapNhat": national_time(payload["at"]),
        "NgayHenTra": national_time(payload["due_at"]),
    }


def push_status(message: OutboxMessage) -> None:
    """Outbox handler of ``national_portal.status``: the message's key is the idempotency
    key. A failure to reach the portal is retried by the outbox; a record the portal refuses,
    or that cannot be built, is a dead letter."""
    try:
        record = status_record(message.payload)
    except (Dossier.DoesNotExist, NoNationalStatus, KeyError) as error:
        raise PermanentFailure(f"no status record: {error!r}") from error
    try:
        get_portal().push_status(record, key=message.key)
    except NationalPortalError as error:
        if error.permanent:
            raise PermanentFailure(str(error)) from error
        raise


# -- pulling dossiers ----------------------------------------------------------------------
@dataclass
class PullReport:
    created: list[str] = field(default_factory=list)  # our dossier codes
    refused: dict[str, str] = field(default_factory=dict)  # national id → refusal code
    already: list[str] = field(default_factory=list)  # national ids taken before
    acknowledged: int = 0
    ack_error: str = ""


def pull_dossiers(portal: NationalPortal | None = None) -> PullReport:
    """Take the dossiers submitted on the national portal for our published procedures into
    the dossier engine, each once, then acknowledge every one not yet acknowledged. A dossier
    the engine refuses (form, applicant, agency) is recorded with why and acknowledged as
    refused. Raises :class:`NationalPortalError` when the portal cannot be read."""
    portal = portal or get_portal()
    report = PullReport()
    codes = sorted(Procedure.objects.filter(is_active=True).values_list("national_code", flat=True))
    for record in portal.fetch_dossiers(codes):
        _take(record, report)
    _acknowledge(portal, report)
    return report


def _take(record: NationalDossierRecord, report: PullReport) -> None:
    if PulledDossier.objects.filter(national_id=record.national_id).exists():
        report.already.append(record.national_id)
        return
    try:
        with transaction.atomic():
            pulled = PulledDossier.objects.create(
                national_id=record.national_id,
                procedure_code=record.procedure_code,
                dossier=_create_dossier(record),
            )
        report.created.append(pulled.dossier.code)
    except IntegrityError:
        if not PulledDossier.objects.filter(national_id=record.national_id).exists():
            raise
        report.already.append(record.national_id)  # another pull took it first
    except DossierError as error:
        try:
            with transaction.atomic():
                PulledDossier.objects.create(
                    national_id=record.national_id,
                    procedure_code=record.procedure_code,
                    refusal_code=error.code,
                    refusal=error.message,
                )
            report.refused[record.national_id] = error.code
        except IntegrityError:
            report.already.append(record.national_id)


def _create_dossier(record: NationalDossierRecord) -> Dossier:
    procedure = Procedure.objects.filter(national_code=record.procedure_code).first()
    if procedure is None:
        raise RuleViolation(_("This procedure is not in our catalogue."), code="unknown_procedure")
    agency = None
    if record.agency_code:
        agency = Agency.objects.filter(code=record.agency_code).first()
        if agency is None:
            raise RuleViolation(_("This agency is not in our catalogue."), code="unknown_agency")
        agency = agency.successor()
    applicant = applicant_account(record.applicant)
    draft = engine.create_draft(
        procedure,
        applicant=applicant,
        agency=agency,
        channel=Channel.NATIONAL_PORTAL,
        form_data=record.form_data,
    )
    return engine.submit(draft, applicant, at=record.submitted_at)


def applicant_account(person: NationalApplicant) -> User:
    """The applicant account of a person (personal ID number) or an organisation (tax
    code), created the first time as the national SSO sign-in would (HG 5.6)."""
    if person.kind == User.Kind.ORGANISATION:
        kind, name, value, prefix = User.Kind.ORGANISATION, "tax_code", person.tax_code, "tc"
    elif person.kind == User.Kind.CITIZEN:
        kind, name, value, prefix = User.Kind.CITIZEN, "personal_id", person.personal_id, "cd"
    else:
        raise RuleViolation(
            _("The applicant is neither a person nor an organisation."), code="applicant_kind"
        )
    if not value:
        raise RuleViolation(
            _("The applicant has no personal ID number or tax code."), code="applicant_unidentified"
        )
    user = User.objects.select_for_update().filter(**{name: value}).first()
    if user is not None:
        if user.kind != kind:
            raise RuleViolation(
                _("This identifier belongs to another kind of account."), code="applicant_account"
            )
        return user
    phone = normalise_phone(person.phone)
    user = User(
        username=f"{prefix}{value}",
        kind=kind,
        full_name=person.full_name[:255],
        phone=phone if PHONE.match(phone) else "",
        email=person.email if _valid_email(person.email) else "",
        password=make_password(None),
        **{name: value},
    )
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise RuleViolation(
            _("The applicant's identifiers are invalid."),
            code="applicant_invalid",
            fields=error.message_dict,
        ) from None
    user.save()
    return user


def _valid_email(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


def _acknowledge(portal: NationalPortal, report: PullReport) -> None:
    waiting = list(
        PulledDossier.objects.filter(acknowledged_at__isnull=True)
        .select_related("dossier")
        .order_by("national_id")
    )
    if not waiting:
        return
    accepted = [{"id": p.national_id, "code": p.dossier.code} for p in waiting if p.dossier]
    rejected = [
        {"id": p.national_id, "reason": p.refusal_code} for p in waiting if p.dossier is None
    ]
    ids = "\n".join(p.national_id for p in waiting)
    key = "ack:" + hashlib.sha256(ids.encode()).hexdigest()[:32]
    try:
        portal.acknowledge(accepted, rejected, key=key)
    except NationalPortalError as error:
        report.ack_error = str(error)  # the next pull acknowledges them again
        return
    report.acknowledged = PulledDossier.objects.filter(
        pk__in=[p.pk for p in waiting], acknowledged_at__isnull=True
    ).update(acknowledged_at=timezone.now())


# -- catalogue synchronisation -------------------------------------------------------------
@dataclass
class SyncReport:
    changed: dict[str, list] = field(default_factory=dict)  # code → journal change message
    unchanged: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # flagged, kept
    failed: dict[str, str] = field(default_factory=dict)  # code → why nothing changed


def portal_account() -> User:
    """The account that signs the catalogue's journal entries of a synchronisation: a staff
    account that cannot sign in."""
    user, _created = User.objects.get_or_create(
        username=PORTAL_USERNAME,
        defaults={
            "kind": User.Kind.STAFF,
            "role": Role.SYSTEM_OPERATOR,
            "full_name": "Cổng Dịch vụ công quốc gia",
            "is_active": False,
            "password": make_password(None),
        },
    )
    return user


def sync_catalogue(
    codes: list[str] | None = None,
    *,
    actor: User | None = None,
    portal: NationalPortal | None = None,
) -> SyncReport:
    """Bring our procedures (all, or those of ``codes``) in line with the national
    procedure database. Each procedure changes in its own transaction and its changes are
    written to the catalogue's change journal; a procedure the national database does not
    know is flagged and left as it is. Raises :class:`NationalPortalError` when the
    database cannot be read."""
    portal = portal or get_portal()
    actor = actor or portal_account()
    procedures = Procedure.objects.order_by("national_code")
    if codes:
        procedures = procedures.filter(national_code__in=codes)
    procedures = list(procedures)
    national = portal.fetch_procedures([p.national_code for p in procedures])
    report = SyncReport()
    now = timezone.now()
    for procedure in procedures:
        code = procedure.national_code
        record = national.get(code)
        error = ""
        if record is None:
            report.unknown.append(code)
        else:
            try:
                changes = _apply(procedure, record, actor)
            except ValidationError as refused:
                error = "; ".join(refused.messages)
                report.failed[code] = error
            else:
                if changes:
                    report.changed[code] = changes
                else:
                    report.unchanged.append(code)
        sync, _created = ProcedureSync.objects.get_or_create(
            procedure=procedure, defaults={"checked_at": now}
        )
        sync.checked_at = now
        sync.last_error = error
        if record is None:
            sync.unknown_since = sync.unknown_since or now
        else:
            sync.unknown_since = None
        sync.save()
    return report


@transaction.atomic
def _apply(procedure: Procedure, record: NationalProcedure, actor: User) -> list:
    """One procedure's update; returns its journal change message (empty: nothing changed)."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    national = {
        "name": record.name,
        "legal_basis": "\n".join(record.legal_basis),
        "processing_days": record.processing_days,
        "processing_time_note": record.processing_time_note,
    }
    fields = [name for name, value in national.items() if getattr(procedure, name) != value]
    changes = []
    if fields:
        for name in fields:
            setattr(procedure, name, national[name])
        procedure.full_clean(validate_unique=False, validate_constraints=False)
        procedure.save(update_fields=[*fields, "updated_at"])
        changes.append({"changed": {"fields": fields}})
    changes += _sync_fees(procedure, record)
    changes += _sync_components(procedure, record)
    if changes:
        journal(actor, procedure, changes)
    return changes


def _sync_fees(procedure: Procedure, record: NationalProcedure) -> list:
    """Fees are matched by name: a new name is added, a missing one removed."""
    existing = {fee.name: fee.pk for fee in Fee.objects.filter(procedure=procedure)}
    rows = [{"id": existing.get(fee["name"]), **fee} for fee in record.fees]
    kept = {row["id"] for row in rows}
    remove = [pk for pk in existing.values() if pk not in kept]
    return apply_rows(
        Fee.objects.filter(procedure=procedure),
        {"procedure": procedure},
        rows,
        remove,
        ordered=False,
    )


def _sync_components(procedure: Procedure, record: NationalProcedure) -> list:
    """Components are matched by position, so a reworded document keeps the files
    dossiers hold for it; a new one accepts :data:`DEFAULT_FORMATS`."""
    existing = {c.order: c.pk for c in Component.objects.filter(procedure=procedure)}
    rows = []
    for order, item in enumerate(record.components, start=1):
        pk = existing.get(order)
        row = {"id": pk, "order": order, **item}
        if pk is None:
            row["formats"] = DEFAULT_FORMATS
        rows.append(row)
    kept = {row["id"] for row in rows}
    remove = [pk for pk in existing.values() if pk not in kept]
    return apply_rows(
        Component.objects.filter(procedure=procedure),
        {"procedure": procedure},
        rows,
        remove,
        ordered=True,
    )
