"""Dossiers of the small province driven through the services around the April 2026
reporting period of the Bắc Ninh profile (15 March – 14 April; BN 24.1 → NĐ 09/2019 art. 12),
with every number of the Decision 766 index worked out by hand."""

from datetime import date

from django.utils import timezone
from fpdf import FPDF

from motcua.dossiers import files, results, services
from motcua.dossiers.models import Channel, DossierEvent
from motcua.feedback import services as feedback
from motcua.feedback.models import Feedback
from motcua.nationalportal.models import ProcedureSync
from motcua.outbox.models import OutboxMessage
from motcua.reports.periods import Period
from motcua.vault import services as vault

from ..dossiers.conftest import at, received

APRIL = Period.of("month", date(2026, 4, 1))
#: Inside the April period, after every event of the fixture.
DURING_APRIL = at("2026-04-14T12:00:00+07:00")
ALL_GOOD = {
    "contacts_count": 2,
    "contacted_agencies": 2,
    "one_stop_desk": 2,
    "public_information": 2,
    "officer_attitude": 2,
}


def a_pdf(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def _settle(w, dossier, moment, *, paid_by=None):
    for officer in (w.specialist, w.unit_leader, w.leader):
        dossier = services.forward(dossier, officer, at=at(moment))
    dossier = services.record_payment(
        dossier, amount=100_000, reference=f"FT{dossier.pk}", actor=paid_by, at=at(moment)
    )
    return services.complete(dossier, w.clerk, at=at(moment))


def build_history(world):
    """Department (online, full level, fee 100 000 ₫; 5 working days):
    A received 16/3 with a document reused from the vault, settled early, paid online,
    signed e-result returned online, rated "Very satisfied";
    B received 16/3 with an uploaded document, settled late on 25/3, paid at the desk,
    returned at the desk, rated "Not satisfied";
    C received 13/4, on track; D received 1/4, overdue at 14/4 (due 8/4).
    Commune (desk, partial level, no fee): E settled and returned on 16–17/3, rated
    "Satisfied".
    Expected for the province in April: received 5 (4 online), digitised 2, reused 1,
    pushed to the national portal 1; settled 3 (2 in time) + in progress 2 (1 on track);
    paid 2 (1 online); returned 3 (1 e-result); ratings 3 (2 satisfied; online 2, 1
    satisfied); procedures 2 (1 full online, 1 complete and known nationally, 1 with a
    fee, paid online); feedback due 2 (1 answered on time)."""
    w = world
    component = w.permit.components.get()

    a = services.submit(
        services.create_draft(w.permit, applicant=w.citizen, form_data=dict(w.form)),
        w.citizen,
        at=at("2026-03-16T08:00:00+07:00"),
    )
    kept = vault.upload(w.citizen, "to-khai.pdf", a_pdf("To khai A"))
    vault.copy_to_dossier(kept, a, component, by=w.citizen)
    a = services.receive(a, w.desk_officer, at=at("2026-03-16T10:00:00+07:00"))
    a = _settle(w, a, "2026-03-19T09:00:00+07:00")
    results.attach_result(a, "giay-phep.pdf", a_pdf("Giay phep"), by=w.leader, sign=True)
    a = services.return_result(
        a, w.desk_officer, method="online", at=at("2026-03-20T09:00:00+07:00")
    )

    b = services.submit(
        services.create_draft(w.permit, applicant=w.other_citizen, form_data=dict(w.form)),
        w.other_citizen,
        at=at("2026-03-16T08:00:00+07:00"),
    )
    files.attach(b, component, "to-khai.pdf", a_pdf("To khai B"), by=w.other_citizen)
    b = services.receive(b, w.desk_officer, at=at("2026-03-16T10:00:00+07:00"))
    b = _settle(w, b, "2026-03-25T09:00:00+07:00", paid_by=w.desk_officer)
    b = services.return_result(b, w.desk_officer, at=at("2026-03-26T09:00:00+07:00"))

    w.on_track = received(
        w, submitted="2026-04-13T08:00:00+07:00", receive="2026-04-13T10:00:00+07:00"
    )
    w.overdue = received(
        w, submitted="2026-04-01T08:00:00+07:00", receive="2026-04-01T10:00:00+07:00"
    )

    e = services.create_draft(
        w.birth, applicant=w.citizen, submitter=w.commune_officer, channel=Channel.DESK,
        form_data=dict(w.form),
    )  # fmt: skip
    e = services.submit(e, w.commune_officer, at=at("2026-03-16T08:00:00+07:00"))
    e = services.receive(e, w.commune_officer, at=at("2026-03-16T08:00:00+07:00"))
    e = services.forward(e, w.commune_specialist, at=at("2026-03-16T09:00:00+07:00"))
    e = services.forward(e, w.police_officer, at=at("2026-03-16T10:00:00+07:00"))
    e = services.complete(e, w.commune_chair, at=at("2026-03-16T11:00:00+07:00"))
    e = services.return_result(
        e, w.commune_officer, originals_checked=True, at=at("2026-03-17T08:00:00+07:00")
    )

    feedback.rate(a, w.citizen, satisfaction=2, scores=ALL_GOOD, at=at("2026-03-21T09:00:00+07:00"))
    feedback.rate(
        b, w.other_citizen, satisfaction=0, scores=ALL_GOOD, at=at("2026-03-27T09:00:00+07:00")
    )
    feedback.rate(e, w.citizen, satisfaction=1, scores=ALL_GOOD, at=at("2026-03-18T09:00:00+07:00"))

    # Only A's reception reached the national portal.
    OutboxMessage.objects.update(status=OutboxMessage.Status.PENDING)
    reception = DossierEvent.objects.get(dossier=a, action="receive")
    OutboxMessage.objects.filter(key=f"status:{reception.pk}").update(
        status=OutboxMessage.Status.SENT
    )
    ProcedureSync.objects.create(procedure=w.permit, checked_at=timezone.now())

    for n, answered in enumerate(("2026-03-20T09:00:00+07:00", "2026-04-10T09:00:00+07:00")):
        Feedback.objects.create(
            tracking_code=f"PA-{n}", kind=Feedback.Kind.REFLECTION, agency=w.department,
            subject="Chậm trả kết quả", content="Nội dung", name="Nguyễn Văn An",
            status=Feedback.Status.ANSWERED, answer="Đã trả lời",
            received_at=at("2026-03-16T09:00:00+07:00"),
            answer_due_at=at("2026-03-30T17:00:00+07:00"), answered_at=at(answered),
        )  # fmt: skip
    w.a, w.b, w.e = a, b, e
    return w
