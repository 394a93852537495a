"""The tallies recomputed from the dossiers' history alone: after loading old data, and as
the reference the incrementally kept tallies are checked against."""

from collections import defaultdict
from itertools import groupby

from django.db import transaction

from motcua.catalogue.models import Agency
from motcua.dossiers.models import DossierEvent
from motcua.profiles import active_profile

from . import tally
from .models import COUNTERS, Tally


def _replay(dossier, events, agency_by_code, closes_on_day, totals) -> None:
    """Walk one dossier's events in order, with its agency and reception as they were."""
    received = False
    agencies = [e.data.get("from_agency") for e in events if e.action == "agency_merged"]
    agency_id = agency_by_code[agencies[0]] if agencies else dossier.agency_id
    for event in events:
        source = agency_id
        if event.action == "agency_merged":
            agency_id = agency_by_code[event.data["to_agency"]]
        dossier.agency_id = agency_id
        for delta in tally.deltas(
            dossier,
            event,
            received=received,
            source_agency_id=source,
            closes_on_day=closes_on_day,
        ):
            row = totals[(delta.agency_id, delta.procedure_id, delta.month)]
            for name, count in delta.counts.items():
                row[name] += count
        received = received or event.action == "receive"


def recompute() -> dict:
    """``{(agency_id, procedure_id, month): {counter: n}}`` from every dossier's history."""
    closes_on_day = tally.closes_on_day(active_profile())
    agency_by_code = dict(Agency.objects.values_list("code", "pk"))
    events = (
        DossierEvent.objects.exclude(dossier__status="draft")
        .select_related("dossier__procedure")
        .only(
            "dossier_id",
            "action",
            "from_status",
            "actor_id",
            "at",
            "data",
            "dossier__agency_id",
            "dossier__procedure_id",
            "dossier__channel",
            "dossier__timeliness",
            "dossier__procedure__online_level",
        )
        .order_by("dossier_id", "at", "pk")
    )
    totals = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    for _pk, history in groupby(events.iterator(chunk_size=5000), lambda e: e.dossier_id):
        history = list(history)
        _replay(history[0].dossier, history, agency_by_code, closes_on_day, totals)
    return {key: row for key, row in totals.items() if any(row.values())}


def stored() -> dict:
    """The tallies as kept, in the shape of :func:`recompute`."""
    return {
        (row["agency_id"], row["procedure_id"], row["month"]): {n: row[n] for n in COUNTERS}
        for row in Tally.objects.values("agency_id", "procedure_id", "month", *COUNTERS)
        if any(row[n] for n in COUNTERS)
    }


@transaction.atomic
def rebuild() -> int:
    """Replace the stored tallies by a full recomputation; the number of rows written."""
    rows = [
        Tally(agency_id=agency, procedure_id=procedure, month=month, **counts)
        for (agency, procedure, month), counts in recompute().items()
    ]
    Tally.objects.all().delete()
    Tally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
