"""After any mix of actions, the tallies kept in each transaction equal a recomputation
from the history, and the dossiers in progress at the end of every period are exactly those
that were received and not yet settled then (SPEC §3 item 18, §6)."""

from datetime import timedelta
from unittest import mock

from django.core.exceptions import ValidationError
from django.db.models import Max
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalogue.models import Agency
from motcua.catalogue.services import merge_agency
from motcua.dossiers import services
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.reports import rebuild, statistics
from motcua.reports.periods import Period, add_months
from motcua.reports.tally import reporting_month

from ..dossiers.conftest import at

OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["online", "desk", "receive", "settle", "decline", "withdraw", "supplement",
             "resubmit", "return", "merge"]
        ),
        st.integers(min_value=0, max_value=7),  # which dossier
        st.integers(min_value=1, max_value=120),  # hours later
    ),
    min_size=10,
    max_size=40,
)  # fmt: skip


IN_PROGRESS = ("processing", "awaiting_supplement")


class Workload:
    def __init__(self, w):
        self.w = w
        self.clock = at("2026-02-02T08:00:00+07:00")

    #: The states each action applies to, so that most drawn actions take effect.
    SOURCES = {
        "receive": ["submitted"],
        "settle": ["processing"],
        "decline": ["processing"],
        "withdraw": ["submitted", *IN_PROGRESS],
        "supplement": ["submitted", "processing"],
        "resubmit": ["awaiting_supplement"],
        "return": ["result_ready"],
    }

    def dossier(self, op, n):
        candidates = Dossier.objects.filter(status__in=self.SOURCES.get(op, ["submitted"]))
        candidates = list(candidates.order_by("-pk")[:8])
        return candidates[n % len(candidates)] if candidates else None

    def run(self, op, n, hours):
        w, self.clock = self.w, self.clock + timedelta(hours=hours)
        when = self.clock
        d = self.dossier(op, n)
        commune = Agency.objects.filter(level="commune", status="active").first()
        try:
            if op in ("online", "desk"):
                procedure = w.permit if n % 2 else w.birth
                desk = w.desk_officer if procedure == w.permit else w.commune_officer
                submitter = w.citizen if op == "online" else desk
                draft = services.create_draft(
                    procedure, applicant=w.citizen, submitter=submitter, channel=op,
                    form_data=dict(w.form),
                )  # fmt: skip
                services.submit(draft, submitter, at=when)
            elif d is None:
                return
            elif op == "receive":
                services.receive(d, self._desk(d), at=when)
            elif op == "settle":
                last = d.steps.count()
                for step in d.steps.exclude(state="done").order_by("order"):
                    officer = self._officer(d, step)
                    if step.order < last:
                        d = services.forward(d, officer, at=when)
                    else:
                        if d.fee_due:
                            services.record_payment(d, amount=d.fee_due, reference="x", at=when)
                        services.complete(d, officer, at=when)
            elif op == "decline":
                services.decline(d, self._leader(d), reason="Không đủ điều kiện", at=when)
            elif op == "withdraw":
                services.withdraw(d, w.citizen, at=when)
            elif op == "supplement":
                actor = self._desk(d) if d.status == "submitted" else self._current(d)
                services.request_supplement(
                    d, actor, items=["Bản sao"], guidance="Bổ sung", at=when
                )
            elif op == "resubmit":
                services.resubmit(d, w.citizen, at=when)
            elif op == "return":
                services.return_result(d, self._desk(d), originals_checked=True, at=when)
            elif op == "merge" and commune is not None and n == 0:
                number = Agency.objects.count()
                target = Agency.objects.create(
                    code=f"H06.09.{number:02d}", name=f"Phường {number}",
                    level="commune", parent=w.province,
                )  # fmt: skip
                with mock.patch("django.utils.timezone.now", return_value=when):
                    merge_agency(commune, target, actor=w.monitor)
        except (DossierError, ValidationError):
            pass  # a drawn action the rules refuse changes nothing

    def _desk(self, d):
        return (
            self.w.desk_officer
            if d.procedure == self.w.permit
            else self._role(d, "reception_officer")
        )

    def _leader(self, d):
        return self.w.leader if d.procedure == self.w.permit else self._role(d, "agency_leader")

    def _current(self, d):
        step = d.steps.filter(state="active").first()
        return self._officer(d, step) if step else self._leader(d)

    def _role(self, d, role):
        return d.agency.staff.filter(role=role).first() or self.w.commune_officer

    def _officer(self, d, step):
        w = self.w
        if step.agency_id == w.police.pk:
            return w.police_officer
        if d.procedure == w.permit:
            return {"specialist": w.specialist, "unit_leader": w.unit_leader,
                    "agency_leader": w.leader, "clerk": w.clerk}[step.role]  # fmt: skip
        return self._role(d, step.role)


def _open_at(instant) -> dict:
    """Per agency code, the dossiers received and not yet settled at ``instant``, read from
    the history alone."""
    counts = {}
    for dossier in Dossier.objects.exclude(status="draft"):
        received = left = False
        agency = None
        for event in dossier.events.order_by("at", "pk"):
            if event.action == "agency_merged":
                agency = agency or event.data["from_agency"]
                if event.at < instant:
                    agency = event.data["to_agency"]
            if event.at >= instant:
                continue
            received = received or event.action == "receive"
            left = left or (
                received and event.from_status in IN_PROGRESS and event.to_status not in IN_PROGRESS
            )
        if received and not left:
            code = agency or dossier.agency.code
            counts[code] = counts.get(code, 0) + 1
    return counts


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_tallies_match_the_history(world, operations):
    workload = Workload(world)
    # Examples share the database: each one carries on after the last.
    workload.clock = DossierEvent.objects.aggregate(last=Max("at"))["last"] or workload.clock
    for op, n, hours in operations:
        workload.run(op, n, hours)

    assert rebuild.stored() == rebuild.recompute()

    first = reporting_month(at("2026-02-02T08:00:00+07:00"), 14)
    last = reporting_month(workload.clock, 14)
    month = first
    while month <= last:
        period = Period.of("month", month, closes_on_day=14)
        expected = _open_at(period.end)
        report = statistics.report(period, grouping="agency")
        got = {row.key: row.in_progress for row in report.rows}
        for agency in Agency.objects.all():
            assert got.get(agency.pk, 0) == expected.get(agency.code, 0), (period, agency)
        month = add_months(month, 1)
