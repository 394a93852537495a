"""Lookups in the national population database and their audit (SPEC §3 item 16; BN 9.3,
HG 10).

Every lookup that reaches the database is logged with its purpose before its answer is handed
back; a refused lookup (not a registered officer, malformed ID number, purpose too short…)
raises :class:`LookupRefused` and writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role, User
from motcua.audit import services as audit
from motcua.catalogue.models import Agency

from .adapters import Citizen, PopulationServiceUnavailable, get_service
from .models import PopulationLookup, RegisteredOfficer

PERSONAL_ID = re.compile(r"^\d{12}$")
PURPOSE_MIN_LENGTH = 10

#: Roles that follow the usage of the population database (BN 9.3: the provincial police;
#: the province's monitoring office sees the same statistics).
USAGE_ROLES = frozenset({Role.POLICE_AUDITOR, Role.PROVINCE_MONITOR})
#: Only the police see the log entries themselves (who looked up which ID number, and why).
LOG_ROLES = frozenset({Role.POLICE_AUDITOR})
#: Who approves and revokes registrations (BN 9.3, HG 10.1).
REGISTRAR_ROLES = frozenset({Role.POLICE_AUDITOR})


class PopulationError(Exception):
    """A refused request, with a stable ``code`` and, when one input is at fault, its
    ``field``."""

    code = "population_error"
    status = 400
    default_message = _("The request cannot be performed.")

    def __init__(self, message=None, *, code: str | None = None, field: str | None = None):
        self.message = str(message or self.default_message)
        self.code = code or self.code
        self.field = field
        super().__init__(self.message)


class LookupRefused(PopulationError):
    code = "lookup_refused"
    default_message = _("This lookup is not allowed.")


class RegistrationRefused(PopulationError):
    code = "registration_refused"
    default_message = _("This registration change is not allowed.")


@dataclass(frozen=True)
class LookupResult:
    outcome: str
    citizen: Citizen | None
    entry: PopulationLookup
    failure: str = ""

    @property
    def found(self) -> bool:
        return self.outcome == PopulationLookup.Outcome.FOUND


# --- Registration --------------------------------------------------------------------------


def registration(user) -> RegisteredOfficer | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return RegisteredOfficer.objects.get(user=user)
    except RegisteredOfficer.DoesNotExist:
        return None


def is_registered(user) -> bool:
    """A staff member with an active registration."""
    entry = registration(user)
    return entry is not None and entry.active and user.is_staff_member and user.is_active


def _check_registrar(by: User) -> None:
    if not (by.is_staff_member and by.role in REGISTRAR_ROLES):
        raise RegistrationRefused(
            _("Only the provincial police approve or revoke registrations."), code="forbidden"
        )


@transaction.atomic
def register_officer(user: User, *, by: User, decision_number: str) -> RegisteredOfficer:
    """Register (or register again) a staff member to look citizens up."""
    _check_registrar(by)
    if not user.is_staff_member:
        raise RegistrationRefused(
            _("Only staff members can be registered."), code="not_staff", field="user"
        )
    decision_number = decision_number.strip()
    if not decision_number:
        raise RegistrationRefused(
            _("Give the number of the approving document."),
            code="decision_required",
            field="decision_number",
        )
    entry, _created = RegisteredOfficer.objects.update_or_create(
        user=user,
        defaults={
            "decision_number": decision_number,
            "registered_by": by,
            "registered_at": timezone.now(),
            "active": True,
            "revoked_at": None,
        },
    )
    return entry


@transaction.atomic
def revoke_officer(user: User, *, by: User) -> RegisteredOfficer:
    _check_registrar(by)
    entry = registration(user)
    if entry is None or not entry.active:
        raise RegistrationRefused(_("This officer is not registered."), code="not_registered")
    entry.active = False
    entry.revoked_at = timezone.now()
    entry.save(update_fields=["active", "revoked_at"])
    return entry


# --- Lookup --------------------------------------------------------------------------------


def check_officer(officer) -> RegisteredOfficer:
    """The officer's active registration, or :class:`LookupRefused`."""
    if not getattr(officer, "is_authenticated", False) or not officer.is_staff_member:
        raise LookupRefused(
            _("Only staff members can look citizens up in the population database."),
            code="not_staff",
        )
    entry = registration(officer)
    if entry is None:
        raise LookupRefused(
            _(
                "You are not registered to look citizens up in the population database. "
                "Ask your agency to register you with the provincial police."
            ),
            code="not_registered",
        )
    if not entry.active or not officer.is_active:
        raise LookupRefused(
            _("Your registration to look citizens up in the population database was revoked."),
            code="registration_revoked",
        )
    if officer.agency_id is None:
        raise LookupRefused(
            _("Your account belongs to no agency: lookups are made on behalf of an agency."),
            code="no_agency",
        )
    return entry


def check_request(personal_id: str, purpose: str, dossier_code: str = "") -> tuple[str, str, str]:
    """The cleaned inputs, or :class:`LookupRefused` naming the first faulty field."""
    personal_id = (personal_id or "").strip()
    purpose = " ".join((purpose or "").split())
    dossier_code = (dossier_code or "").strip()
    if not PERSONAL_ID.match(personal_id):
        raise LookupRefused(
            _("A personal ID number has 12 digits."),
            code="invalid_personal_id",
            field="personal_id",
        )
    if len(purpose) < PURPOSE_MIN_LENGTH:
        raise LookupRefused(
            _("State the purpose of the lookup (at least %(n)d characters).")
            % {"n": PURPOSE_MIN_LENGTH},
            code="purpose_required",
            field="purpose",
        )
    if dossier_code:
        from motcua.dossiers.models import Dossier

        if not Dossier.objects.filter(code=dossier_code).exists():
            raise LookupRefused(
                _("No dossier has this code."), code="unknown_dossier", field="dossier_code"
            )
    return personal_id, purpose, dossier_code


def lookup(
    officer: User,
    personal_id: str,
    purpose: str,
    *,
    dossier_code: str = "",
    full_name: str | None = None,
    birth_date: date | None = None,
) -> LookupResult:
    """Look a citizen up on behalf of the officer's agency, and log it.

    The database is asked outside any transaction (a slow peer must not hold the write lock);
    the log entry is then committed before the answer is returned, so no answer leaves
    without its entry. An unreachable database gives an ``unavailable`` entry and result."""
    check_officer(officer)
    personal_id, purpose, dossier_code = check_request(personal_id, purpose, dossier_code)
    full_name = " ".join((full_name or "").split()) or None

    citizen, failure = None, ""
    try:
        citizen = get_service().lookup(personal_id, full_name=full_name, birth_date=birth_date)
    except PopulationServiceUnavailable as error:
        failure = error.reason[:32]
        outcome = PopulationLookup.Outcome.UNAVAILABLE
    else:
        outcome = PopulationLookup.Outcome.FOUND if citizen else PopulationLookup.Outcome.NOT_FOUND

    with transaction.atomic():
        entry = PopulationLookup.objects.create(
            officer=officer,
            agency_id=officer.agency_id,
            personal_id=personal_id,
            purpose=purpose,
            dossier_code=dossier_code,
            outcome=outcome,
            failure=failure,
        )
        audit.record(officer, "population.lookup", entry, {"outcome": outcome})
    return LookupResult(outcome=outcome, citizen=citizen, entry=entry, failure=failure)


# --- Usage statistics ----------------------------------------------------------------------


@dataclass
class Counts:
    total: int = 0
    found: int = 0
    not_found: int = 0
    unavailable: int = 0


@dataclass
class AgencyUsage(Counts):
    agency: Agency | None = None


@dataclass
class OfficerUsage(Counts):
    officer: User | None = None
    agency: Agency | None = None
    registration: RegisteredOfficer | None = None
    last_at: datetime | None = None


@dataclass
class Usage:
    start: date
    end: date
    agency: Agency | None
    total: Counts = field(default_factory=Counts)
    per_agency: list[AgencyUsage] = field(default_factory=list)
    per_officer: list[OfficerUsage] = field(default_factory=list)


_COUNTS = {
    "total": Count("id"),
    "found": Count("id", filter=Q(outcome=PopulationLookup.Outcome.FOUND)),
    "not_found": Count("id", filter=Q(outcome=PopulationLookup.Outcome.NOT_FOUND)),
    "unavailable": Count("id", filter=Q(outcome=PopulationLookup.Outcome.UNAVAILABLE)),
}


def subtree_ids(agency: Agency) -> set[int]:
    """The agency and every agency below it."""
    ids, frontier = {agency.pk}, [agency.pk]
    while frontier:
        frontier = list(
            Agency.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids.update(frontier)
    return ids


def window(start: date, end: date) -> tuple[datetime, datetime]:
    """From the start of ``start`` to the end of ``end``, in the local time zone."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def entries(start: date, end: date, agency: Agency | None = None, officer: User | None = None):
    """The log entries of the period (whole days, inclusive), newest first."""
    lo, hi = window(start, end)
    qs = PopulationLookup.objects.filter(at__gte=lo, at__lt=hi)
    if agency is not None:
        qs = qs.filter(agency_id__in=subtree_ids(agency))
    if officer is not None:
        qs = qs.filter(officer=officer)
    return qs


def _counts(row: dict) -> dict:
    return {key: row[key] for key in _COUNTS}


def usage(start: date, end: date, agency: Agency | None = None) -> Usage:
    """Lookups of the period per agency (the officer's agency at the time) and per officer,
    for the provincial police (BN 9.3). ``agency`` narrows to that agency and those below it."""
    if end < start:
        raise PopulationError(_("The end date is before the start date."), code="bad_period")
    qs = entries(start, end, agency).order_by()
    result = Usage(start=start, end=end, agency=agency)
    result.total = Counts(**_counts(qs.aggregate(**_COUNTS)))

    agency_rows = list(qs.values("agency").annotate(**_COUNTS))
    officer_rows = list(qs.values("officer", "agency").annotate(**_COUNTS, last_at=Max("at")))
    agencies = Agency.objects.in_bulk(
        {row["agency"] for row in agency_rows if row["agency"] is not None}
    )
    officers = User.objects.in_bulk({row["officer"] for row in officer_rows})
    registrations = {
        entry.user_id: entry
        for entry in RegisteredOfficer.objects.filter(user_id__in=officers.keys())
    }
    result.per_agency = sorted(
        (AgencyUsage(agency=agencies.get(row["agency"]), **_counts(row)) for row in agency_rows),
        key=lambda u: (-u.total, str(u.agency or "")),
    )
    result.per_officer = sorted(
        (
            OfficerUsage(
                officer=officers[row["officer"]],
                agency=agencies.get(row["agency"]),
                registration=registrations.get(row["officer"]),
                last_at=row["last_at"],
                **_counts(row),
            )
            for row in officer_rows
        ),
        key=lambda u: (-u.total, str(u.agency or ""), u.officer.username),
    )
    return result
