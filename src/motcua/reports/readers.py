"""Who reads the statistics of which agencies (SPEC §2 "Access", §3 item 18): the province
monitor reads every agency and the whole province; an agency's or a unit's leader reads
their own agency with the units below it. Nobody else reads them."""

from motcua.accounts.models import Role
from motcua.catalogue.models import Agency
from motcua.population.services import subtree_ids

from .models import StoredReport

READER_ROLES = frozenset({Role.PROVINCE_MONITOR, Role.AGENCY_LEADER, Role.UNIT_LEADER})


def reads_province(user) -> bool:
    return user.role == Role.PROVINCE_MONITOR


def may_read(user) -> bool:
    if not (user.is_staff_member and user.is_active and user.role in READER_ROLES):
        return False
    return reads_province(user) or user.agency_id is not None


def _own_subtree(user) -> set[int]:
    cached = getattr(user, "_report_subtree", None)
    if cached is None or cached[0] != user.agency_id:
        cached = (user.agency_id, subtree_ids(user.agency))
        user._report_subtree = cached
    return cached[1]


def readable_ids(user) -> set[int] | None:
    """The ids of the agencies ``user`` reads, None for the whole province (call only when
    :func:`may_read`)."""
    return None if reads_province(user) else _own_subtree(user)


def readable_agencies(user):
    """The agencies whose statistics ``user`` may read (call only when :func:`may_read`)."""
    if reads_province(user):
        return Agency.objects.all()
    return Agency.objects.filter(pk__in=_own_subtree(user))


def default_agency(user):
    """The scope a reader first sees: the whole province (None) or their own agency."""
    return None if reads_province(user) else user.agency


def stored_reports(user):
    """The stored reports ``user`` may download: all for the province monitor; for a leader
    those of their agency and the units below it (not the province's)."""
    reports = StoredReport.objects.select_related("agency", "created_by")
    if reads_province(user):
        return reports
    return reports.filter(agency_id__in=_own_subtree(user))
