"""Agency merges carry open dossiers over (SPEC §1; issue "agency reorganisation")."""

from django.utils import timezone

from motcua.profiles import active_profile
from motcua.reports import tally

from .models import OPEN_STATES, Dossier, DossierEvent, DossierStep


def carry_open_dossiers(source, target, actor) -> dict:
    """Move ``source``'s open dossiers and pending steps to ``target``, one history event
    per dossier. Closed dossiers keep their agency and code, so reports show both."""
    now = timezone.now()
    open_states = [*OPEN_STATES, "draft"]
    moved_steps = DossierStep.objects.filter(
        agency=source,
        state__in=[DossierStep.State.PENDING, DossierStep.State.ACTIVE],
        dossier__status__in=open_states,
    ).update(agency=target)
    dossiers = list(
        Dossier.objects.select_for_update().filter(agency=source, status__in=open_states)
    )
    profile = active_profile()
    for dossier in dossiers:
        dossier.agency = target
        dossier.save(update_fields=["agency"])
        event = DossierEvent.objects.create(
            dossier=dossier,
            action="agency_merged",
            from_status=dossier.status,
            to_status=dossier.status,
            actor=actor,
            at=now,
            data={"from_agency": source.code, "to_agency": target.code},
        )
        tally.record(
            dossier,
            event,
            profile=profile,
            received=dossier.received_at is not None,
            source_agency_id=source.pk,
        )
    return {"dossiers": len(dossiers), "steps": moved_steps}
