"""Late dossiers of the March 2026 reporting month on the Bắc Ninh profile (15 February –
14 March, BN 24.1 → NĐ 09/2019 art. 12), walked through the real services.

The building permit takes 5 working days (due Mon 9 Mar 10:00 when received Mon 2 Mar
10:00); its specialist step has 16 working hours (due Wed 4 Mar 10:00)."""

from types import SimpleNamespace

from motcua.dossiers import services

from ..dossiers.conftest import at, received

APPLICANT_NAME = "Nguyễn Văn An"
APPLICANT_ID = "027090001234"


def forward(dossier, officer, when):
    return services.forward(dossier, officer, at=at(when))


def complete(w, dossier, when):
    services.record_payment(dossier, amount=100_000, reference=f"FT{dossier.pk}", at=at(when))
    return services.complete(dossier, w.clerk, at=at(when))


def make_late(world):
    """Five dossiers of the permit (A–E) and one birth registration at the commune (F).

    A: the specialist forwards a day late (Thu 5 Mar 10:00), the result is ready Tue
       10 Mar 10:00, one working day after the appointment: settled late, no apology.
    B: the specialist takes the step and keeps it: overdue when the month ends.
    C: settled early: in no list.
    D: extended with an apology (new date Fri 13 Mar 10:00), result ready Wed 11 Mar
       10:00: late against its first appointment, with an apology.
    E: still being processed at the month's end, overdue since 9 Mar 10:00; the result
       is ready in April (Thu 19 Mar).
    F: a commune dossier settled late (its 3 working days end Thu 5 Mar 10:00).
    """
    w = world
    w.citizen.full_name = APPLICANT_NAME
    w.citizen.save(update_fields=["full_name"])

    a = received(w)
    a = forward(a, w.specialist, "2026-03-05T10:00:00+07:00")
    a = forward(a, w.unit_leader, "2026-03-06T09:00:00+07:00")
    a = forward(a, w.leader, "2026-03-09T09:00:00+07:00")
    a = complete(w, a, "2026-03-10T10:00:00+07:00")

    b = received(w)
    b = services.claim(b, w.specialist, at=at("2026-03-02T11:00:00+07:00"))

    c = received(w)
    for officer in (w.specialist, w.unit_leader, w.leader):
        c = forward(c, officer, "2026-03-03T09:00:00+07:00")
    c = complete(w, c, "2026-03-03T10:00:00+07:00")

    d = received(w)
    d = services.extend(
        d,
        w.leader,
        new_due_at=at("2026-03-13T10:00:00+07:00"),
        apology="Xin lỗi vì chậm trễ",
        at=at("2026-03-06T09:00:00+07:00"),
    )
    for officer in (w.specialist, w.unit_leader, w.leader):
        d = forward(d, officer, "2026-03-11T09:00:00+07:00")
    d = complete(w, d, "2026-03-11T10:00:00+07:00")

    e = received(w)
    for officer in (w.specialist, w.unit_leader, w.leader):
        e = forward(e, officer, "2026-03-04T09:00:00+07:00")
    e = complete(w, e, "2026-03-19T10:00:00+07:00")

    f = received(w, w.birth)
    f = forward(f, w.commune_specialist, "2026-03-02T11:00:00+07:00")
    f = forward(f, w.police_officer, "2026-03-03T09:00:00+07:00")
    f = services.complete(f, w.commune_chair, at=at("2026-03-06T10:00:00+07:00"))
    return SimpleNamespace(w=w, a=a, b=b, c=c, d=d, e=e, f=f)
