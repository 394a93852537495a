"""Tallies and ratings for the statistics pages, files and grades of the small province
(tests/dossiers/conftest.py): April 2026 on the Bắc Ninh profile (15 March – 14 April)."""

from datetime import date

from motcua.dossiers import services
from motcua.feedback.models import Rating, RatingScore
from motcua.reports.models import Tally
from motcua.reports.periods import Period

from ..dossiers.conftest import at, received

APRIL = date(2026, 4, 1)
APRIL_PERIOD = Period.of("month", APRIL, closes_on_day=14)

#: The department's April: 5 received (2 online, 1 on the national portal, 1 at the desk,
#: 1 by post), 4 settled (2 early, 1 on time, 1 late) and 1 withdrawn, so none is left open.
DEPARTMENT_APRIL = {
    "received_online": 2,
    "received_national": 1,
    "received_desk": 1,
    "received_postal": 1,
    "received_full_online": 2,
    "digitised": 4,
    "settled_early": 2,
    "settled_on_time": 1,
    "settled_late": 1,
    "withdrawn": 1,
    "paid": 4,
    "paid_online": 3,
    "returned": 4,
    "e_results": 2,
}


def april_tallies(world):
    """Tallies of April for the department (permit) and the commune (birth)."""
    Tally.objects.create(
        agency=world.department, procedure=world.permit, month=APRIL, **DEPARTMENT_APRIL
    )
    Tally.objects.create(
        agency=world.commune,
        procedure=world.birth,
        month=APRIL,
        received_desk=2,
        settled_on_time=2,
        returned=2,
    )
    return world


def settled_early(w, *, receive="2026-03-16T10:00:00+07:00", moment="2026-03-17T09:00:00+07:00"):
    """A permit dossier received, walked through every step, paid and settled early."""
    dossier = received(w, submitted=receive, receive=receive)
    for officer in (w.specialist, w.unit_leader, w.leader):
        dossier = services.forward(dossier, officer, at=at(moment))
    services.record_payment(dossier, amount=100_000, reference="FT1", at=at(moment))
    return services.complete(dossier, w.clerk, at=at(moment))


def rate(dossier, satisfaction, points, when="2026-04-02T09:00:00+07:00"):
    """A rating of ``dossier`` with the same points on every criterion."""
    rating = Rating.objects.create(
        dossier=dossier,
        agency=dossier.agency,
        procedure=dossier.procedure,
        satisfaction=satisfaction,
        rated_at=at(when),
    )
    for criterion in (
        "contacts_count",
        "contacted_agencies",
        "one_stop_desk",
        "public_information",
        "officer_attitude",
    ):
        RatingScore.objects.create(rating=rating, criterion=criterion, points=points)
    return rating
