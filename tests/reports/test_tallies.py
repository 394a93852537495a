"""The statistics of a period against a hand-computed fixture, column by column (SPEC §3
item 18; Biểu 06, TT 01/2018/TT-VPCP), on the Bắc Ninh profile, whose monthly reporting
periods close on the 14th (BN 24.1 → NĐ 09/2019/NĐ-CP art. 12): the April 2026 report covers
15 March – 14 April."""

from datetime import date

import pytest
from fpdf import FPDF

from motcua.catalogue.models import Agency
from motcua.catalogue.services import merge_agency
from motcua.dossiers import files, results, services
from motcua.dossiers.models import Channel
from motcua.reports import rebuild, statistics
from motcua.reports.periods import Period
from motcua.reports.tally import reporting_month

from ..dossiers.conftest import at, new_dossier, received

APRIL = Period.of("month", date(2026, 4, 1), closes_on_day=14)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def a_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Giay phep")
    return bytes(pdf.output())


def test_the_reporting_month_closes_on_the_profiles_day():
    assert reporting_month(at("2026-03-14T23:59:00+07:00"), 14) == date(2026, 3, 1)
    assert reporting_month(at("2026-03-15T00:00:00+07:00"), 14) == date(2026, 4, 1)
    assert reporting_month(at("2026-12-20T08:00:00+07:00"), 14) == date(2027, 1, 1)
    # Local time names the day: 17:30 UTC on the 14th is already the 15th in Hà Nội.
    assert reporting_month(at("2026-03-14T17:30:00+00:00"), 14) == date(2026, 4, 1)
    assert reporting_month(at("2026-03-31T08:00:00+07:00"), 0) == date(2026, 3, 1)
    assert (APRIL.start_day, APRIL.end_day) == (date(2026, 3, 15), date(2026, 4, 14))
    quarter = Period.of("quarter", date(2026, 5, 1), closes_on_day=14)
    assert (quarter.start_day, quarter.end_day) == (date(2026, 3, 15), date(2026, 6, 14))


def _walk(w, dossier, moment, *, pay=True):
    for officer in (w.specialist, w.unit_leader, w.leader):
        dossier = services.forward(dossier, officer, at=at(moment))
    if pay:
        services.record_payment(dossier, amount=100_000, reference="FT1", at=at(moment))
    return services.complete(dossier, w.clerk, at=at(moment))


def _commune_desk_dossier(w, when):
    draft = services.create_draft(
        w.birth,
        applicant=w.citizen,
        submitter=w.commune_officer,
        channel=Channel.DESK,
        form_data=dict(w.form),
    )
    draft = services.submit(draft, w.commune_officer, at=at(when))
    return services.receive(draft, w.commune_officer, at=at(when))


@pytest.fixture
def history(world, monkeypatch):
    """Dossiers of the department (online permit, 5 working days, fee paid) and of the
    commune (desk, partial level, hand-off to the police), around the April period."""
    w = world
    # Carried over: received in the March period.
    late = received(w, receive="2026-03-02T10:00:00+07:00")  # due 9 March
    still_open = received(w, receive="2026-03-03T10:00:00+07:00")  # due 10 March: overdue
    # Settled late in April, then returned.
    late = _walk(w, late, "2026-03-20T09:00:00+07:00")
    services.return_result(late, w.desk_officer, at=at("2026-03-23T09:00:00+07:00"))

    # Supplemented twice: at reception, then while processing; settled early; signed
    # electronic result returned online.
    twice = new_dossier(w, submitted="2026-03-16T08:00:00+07:00")
    files.attach(twice, w.permit.components.get(), "to-khai.pdf", PDF, by=w.citizen)
    twice = services.request_supplement(
        twice, w.desk_officer, items=["Bản sao"], guidance="Bổ sung bản sao",
        at=at("2026-03-16T09:00:00+07:00"),
    )  # fmt: skip
    twice = services.resubmit(twice, w.citizen, at=at("2026-03-16T14:00:00+07:00"))
    twice = services.receive(twice, w.desk_officer, at=at("2026-03-16T15:00:00+07:00"))
    twice = services.request_supplement(
        twice, w.specialist, items=["Bản đồ"], guidance="Bổ sung bản đồ",
        at=at("2026-03-17T09:00:00+07:00"),
    )  # fmt: skip
    twice = services.resubmit(twice, w.citizen, at=at("2026-03-18T09:00:00+07:00"))
    twice = _walk(w, twice, "2026-03-19T09:00:00+07:00")
    results.attach_result(twice, "giay-phep.pdf", a_pdf(), by=w.leader, sign=True)
    services.return_result(
        twice, w.desk_officer, method="online", at=at("2026-03-20T09:00:00+07:00")
    )

    # Extended with an apology (BN: no confirmation), then settled after the first
    # appointment: late.
    extended = received(
        w, submitted="2026-03-16T08:00:00+07:00", receive="2026-03-16T10:00:00+07:00"
    )
    extended = services.extend(
        extended, w.leader, new_due_at=at("2026-03-27T10:00:00+07:00"),
        apology="Cần xác minh thêm", at=at("2026-03-20T09:00:00+07:00"),
    )  # fmt: skip
    _walk(w, extended, "2026-03-25T09:00:00+07:00")

    withdrawn = received(
        w, submitted="2026-03-16T08:00:00+07:00", receive="2026-03-16T10:00:00+07:00"
    )
    services.withdraw(withdrawn, w.citizen, at=at("2026-03-18T09:00:00+07:00"))
    declined = received(
        w, submitted="2026-03-16T08:00:00+07:00", receive="2026-03-16T10:00:00+07:00"
    )
    services.decline(
        declined, w.leader, reason="Không đủ điều kiện", at=at("2026-03-17T09:00:00+07:00")
    )
    # In progress at the end of the period: one overdue, one on track.
    received(w, submitted="2026-04-01T08:00:00+07:00", receive="2026-04-01T10:00:00+07:00")
    received(w, submitted="2026-04-13T08:00:00+07:00", receive="2026-04-13T10:00:00+07:00")
    new_dossier(w, submitted="2026-04-14T08:00:00+07:00")  # submitted, not yet received

    # The commune: a hand-off to the police, settled early and returned at the desk…
    handed = _commune_desk_dossier(w, "2026-03-16T08:00:00+07:00")
    handed = services.forward(handed, w.commune_specialist, at=at("2026-03-16T09:00:00+07:00"))
    handed = services.forward(handed, w.police_officer, at=at("2026-03-16T10:00:00+07:00"))
    handed = services.complete(handed, w.commune_chair, at=at("2026-03-16T11:00:00+07:00"))
    services.return_result(
        handed, w.commune_officer, originals_checked=True, at=at("2026-03-17T08:00:00+07:00")
    )
    # …and one open dossier carried to the commune it is merged into on 1 April.
    _commune_desk_dossier(w, "2026-03-16T08:30:00+07:00")
    w.new_commune = Agency.objects.create(
        code="H06.01.02", name="UBND phường Vũ Ninh", level="commune", parent=w.province
    )
    monkeypatch.setattr("django.utils.timezone.now", lambda: at("2026-04-01T08:00:00+07:00"))
    merge_agency(w.commune, w.new_commune, actor=w.monitor)
    monkeypatch.undo()

    statistics.close_month(date(2026, 4, 1), now=at("2026-04-14T23:59:00+07:00"))
    # After the period: these must not change April's figures.
    _walk(w, still_open, "2026-04-20T09:00:00+07:00")
    received(w, submitted="2026-04-16T08:00:00+07:00", receive="2026-04-16T10:00:00+07:00")
    return w


def _counts(row, *names):
    return {name: getattr(row, name) for name in names}


COLUMNS = (
    "carried_over", "received_online", "received_desk", "received_postal",
    "received_national", "received_full_online", "digitised", "received_new",
    "received_total", "settled_early", "settled_on_time", "settled_late", "settled",
    "declined", "withdrawn", "cancelled", "moved_in", "moved_out", "in_progress",
    "overdue", "on_track", "paid", "paid_online", "returned", "e_results",
)  # fmt: skip


def _expect(**given):
    row = dict.fromkeys(COLUMNS, 0)
    row.update(given)
    return row


def test_the_department_in_april(history):
    w = history
    total = statistics.report(APRIL, agency=w.department).total
    assert _counts(total, *COLUMNS) == _expect(
        carried_over=2,
        received_online=6,
        received_full_online=6,
        digitised=1,
        received_new=6,
        received_total=8,
        settled_early=2,  # supplemented twice; declined
        settled_late=2,  # carried over; extended past the first appointment
        settled=4,
        declined=1,
        withdrawn=1,
        in_progress=3,
        overdue=2,
        on_track=1,
        paid=3,
        paid_online=3,
        returned=2,
        e_results=1,
    )


def test_the_merged_commune_and_its_successor(history):
    w = history
    commune = statistics.report(APRIL, agency=w.commune).total
    assert _counts(commune, *COLUMNS) == _expect(
        received_desk=2, received_new=2, received_total=2, settled_early=1, settled=1,
        moved_out=1, returned=1,
    )  # fmt: skip
    successor = statistics.report(APRIL, agency=w.new_commune).total
    assert _counts(successor, *COLUMNS) == _expect(
        moved_in=1, received_total=1, in_progress=1, overdue=1
    )


def test_the_province_by_agency(history):
    w = history
    report = statistics.report(APRIL, grouping="agency")
    by_agency = {row.key: row for row in report.rows}
    assert set(by_agency) == {w.department.pk, w.commune.pk, w.new_commune.pk}
    assert _counts(report.total, *COLUMNS) == _expect(
        carried_over=2, received_online=6, received_desk=2, received_full_online=6,
        digitised=1, received_new=8, received_total=11, settled_early=3, settled_late=2,
        settled=5, declined=1, withdrawn=1, moved_in=1, moved_out=1, in_progress=4,
        overdue=3, on_track=1, paid=3, paid_online=3, returned=3, e_results=1,
    )  # fmt: skip
    by_field = statistics.report(APRIL, grouping="field")
    assert {row.label for row in by_field.rows} == {w.permit.field.name, w.birth.field.name}


def test_a_later_period_starts_from_what_april_left(history):
    w = history
    may = statistics.report(Period.of("month", date(2026, 5, 1), 14), agency=w.department)
    assert may.total.carried_over == 3
    assert may.total.received_new == 1
    assert may.total.settled_late == 1  # the dossier carried over since March


def test_the_kept_tallies_equal_a_recomputation_from_history(history):
    assert rebuild.stored() == rebuild.recompute()
    rows = rebuild.rebuild()
    assert rows == len(rebuild.stored())
    assert rebuild.stored() == rebuild.recompute()
