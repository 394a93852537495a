"""Who may do what to which dossier (SPEC §2 "Access").

Applicants act on their own dossiers (and those they submitted under an authorisation,
HG 5.6); staff act on their agency's dossiers, the one-stop desk on those of the agencies it
serves (HG 19.9), and on a step only at the unit and in the role the step names.
"""

from django.db.models import Exists, OuterRef, Q

from motcua.accounts.models import Role, User
from motcua.catalogue.models import Agency, OneStopDesk

from .errors import ActionForbidden
from .models import Dossier, DossierStep
from .workflow import APPLICANT, SYSTEM, Rule

#: Actions on the dossier's current step: the actor must hold the step's role at its unit.
STEP_ACTIONS = frozenset({"claim", "forward", "send_back", "complete"})


def is_applicant(user: User | None, dossier: Dossier) -> bool:
    return user is not None and user.pk in (dossier.applicant_id, dossier.submitter_id)


def agency_scope(user: User) -> list[int]:
    """Agencies whose dossiers a staff member works on: their own, the units below it,
    and, for a one-stop desk officer, the agencies their desks serve."""
    cached = getattr(user, "_agency_scope", None)
    if cached is not None and cached[0] == user.agency_id:
        return cached[1]
    if user.agency_id is None:
        return []
    ids = {user.agency_id}
    frontier = [user.agency_id]
    while frontier:
        frontier = list(
            Agency.objects.filter(parent_id__in=frontier)
            .exclude(id__in=ids)
            .values_list("id", flat=True)
        )
        ids.update(frontier)
    if user.role == Role.RECEPTION_OFFICER:
        ids.update(
            OneStopDesk.objects.filter(agency_id__in=ids, is_active=True).values_list(
                "served_agencies", flat=True
            )
        )
    scope = sorted(i for i in ids if i is not None)
    # Kept on the user object for the rest of its request (or job).
    user._agency_scope = (user.agency_id, scope)
    return scope


def check_actor(user: User | None, dossier: Dossier, action: str, rule: Rule) -> str:
    """The capacity in which ``user`` acts (``applicant``, ``system`` or a role), or raise
    :class:`ActionForbidden`."""
    if user is None:
        if SYSTEM in rule.actors:
            return SYSTEM
        raise ActionForbidden()
    if APPLICANT in rule.actors and is_applicant(user, dossier):
        return APPLICANT
    if user.kind != User.Kind.STAFF or user.role not in rule.actors or not user.is_active:
        raise ActionForbidden()
    scope = agency_scope(user)
    step = dossier.current_step
    if action in STEP_ACTIONS:
        if step is None or step.role != user.role or step.agency_id not in scope:
            raise ActionForbidden()
    elif dossier.agency_id not in scope and (step is None or step.agency_id not in scope):
        raise ActionForbidden()
    return user.role


def visible_dossiers(user: User):
    """The dossiers a user may read: own for applicants, agency's for staff, all for the
    province monitor (read-only)."""
    if user.kind != User.Kind.STAFF:
        return Dossier.objects.filter(Q(applicant=user) | Q(submitter=user))
    if user.role == Role.PROVINCE_MONITOR:
        return Dossier.objects.all()
    scope = agency_scope(user)
    steps_here = DossierStep.objects.filter(dossier=OuterRef("pk"), agency_id__in=scope)
    return Dossier.objects.filter(Q(agency_id__in=scope) | Exists(steps_here)).exclude(
        Q(status="draft") & ~Q(submitter=user)
    )
