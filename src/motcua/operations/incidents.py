"""The incident log book (TN 14.1.d: "Việc xử lý, giải quyết sự cố phải được lập sổ nhật ký
và ghi chép đầy đủ thông tin"): each incident with its start, end, impact, cause, action
taken and who wrote it. Nothing written is changed; a correction is a new entry that says why."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.errors import RuleViolation

from .models import Incident, IncidentEntry


@dataclass(frozen=True)
class Facts:
    """What is known of an incident."""

    started_at: datetime
    ended_at: datetime | None
    impact: str
    cause: str = ""
    action_taken: str = ""


def _check(facts: Facts) -> None:
    if not facts.impact.strip():
        raise RuleViolation(
            _("Say what the incident affected."),
            code="incident_impact",
            fields={"impact": [_("This field is required.")]},
        )
    if facts.ended_at is not None and facts.ended_at < facts.started_at:
        raise RuleViolation(
            _("An incident cannot end before it starts."),
            code="incident_period",
            fields={"ended_at": [_("Must not be before the start.")]},
        )


def _entry(incident: Incident, facts: Facts, *, by, reason: str = "") -> IncidentEntry:
    return IncidentEntry.objects.create(
        incident=incident,
        started_at=facts.started_at,
        ended_at=facts.ended_at,
        impact=facts.impact.strip(),
        cause=facts.cause.strip(),
        action_taken=facts.action_taken.strip(),
        reason=reason.strip(),
        recorded_at=timezone.now(),
        recorded_by=by,
    )


@transaction.atomic
def record(facts: Facts, *, by) -> Incident:
    """Open an incident in the log book with its first entry."""
    _check(facts)
    incident = Incident.objects.create(opened_at=timezone.now(), opened_by=by)
    _entry(incident, facts, by=by)
    return incident


@transaction.atomic
def correct(incident_id: int, facts: Facts, *, reason: str, by) -> IncidentEntry:
    """Add an entry that corrects or completes an incident; earlier entries stay as written."""
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    _check(facts)
    if not reason.strip():
        raise RuleViolation(
            _("Say why the entry is corrected."),
            code="incident_reason",
            fields={"reason": [_("This field is required.")]},
        )
    return _entry(incident, facts, by=by, reason=reason)


def log_book():
    """Incidents, the latest first, each with ``current`` set to its latest entry."""
    newest = IncidentEntry.objects.filter(incident=OuterRef("pk")).order_by("-id").values("id")[:1]
    incidents = list(
        Incident.objects.select_related("opened_by").annotate(current_id=Subquery(newest))
    )
    entries = IncidentEntry.objects.select_related("recorded_by").in_bulk(
        [i.current_id for i in incidents]
    )
    for incident in incidents:
        incident.current = entries[incident.current_id]
    return incidents
