"""Merging agencies carries open dossiers over; closed ones keep their agency and code."""

from motcua.catalogue.models import Agency
from motcua.catalogue.services import merge_agency
from motcua.dossiers import services
from motcua.dossiers.models import Status

from .conftest import at, new_dossier, received


def test_merge_moves_open_dossiers_and_pending_steps(world):
    w = world
    target = Agency.objects.create(
        code="H06.01.02", name="UBND phường Vũ Ninh", level="commune", parent=w.province
    )
    waiting = new_dossier(w, w.birth)
    working = received(w, w.birth)
    closed = services.withdraw(received(w, w.birth), w.citizen)

    event = merge_agency(w.commune, target, actor=w.monitor)

    assert event.details["dossiers"] == {"dossiers": 2, "steps": 2}
    for dossier in (waiting, working, closed):
        dossier.refresh_from_db()
    assert waiting.agency == target and working.agency == target
    assert closed.agency == w.commune  # history keeps the old agency
    assert closed.code.startswith("H06.01.01-")
    assert working.original_agency == w.commune
    merged = working.events.get(action="agency_merged")
    assert merged.data == {"from_agency": "H06.01.01", "to_agency": "H06.01.02"}
    assert merged.from_status == merged.to_status == Status.PROCESSING
    assert set(working.steps.exclude(state="done").values_list("agency", flat=True)) <= {
        target.pk,
        w.police.pk,
    }
    assert not closed.events.filter(action="agency_merged").exists()


def test_merged_agency_officers_keep_working_the_moved_dossiers(world):
    w = world
    target = Agency.objects.create(
        code="H06.01.02", name="UBND phường Vũ Ninh", level="commune", parent=w.province
    )
    dossier = received(w, w.birth)
    merge_agency(w.commune, target)
    w.commune_specialist.refresh_from_db()
    assert w.commune_specialist.agency == target
    dossier = services.forward(dossier, w.commune_specialist, at=at("2026-03-02T14:00:00+07:00"))
    assert dossier.current_step.order == 3
    # New dossiers go to the successor's process; codes carry the new agency code.
    assert new_dossier(w, w.birth, submitted="2026-03-03T09:00:00+07:00").code.startswith(
        "H06.01.02-260303-"
    )
