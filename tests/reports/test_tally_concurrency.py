"""Tallies under real concurrency (PostgreSQL): simultaneous receptions of one agency's
dossiers in one month all land in the one tally row, none lost, none twice."""

import pytest
from django.db import connection

from motcua.dossiers import services
from motcua.reports import rebuild
from motcua.reports.models import Tally

from ..dossiers.conftest import at
from ..dossiers.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs a server database (DATABASE_URL)"
    ),
]


def test_simultaneous_receptions_are_all_counted_once(world):
    w = world
    moment = at("2026-03-02T09:00:00+07:00")
    dossiers = [
        services.submit(
            services.create_draft(w.permit, applicant=w.citizen, form_data=dict(w.form)),
            w.citizen,
            at=moment,
        )
        for _ in range(10)
    ]
    # Half of them received twice at once: the engine lets one through.
    targets = dossiers + dossiers[:5]
    results = run_together(lambda i: services.receive(targets[i], w.desk_officer, at=moment), 15)
    assert sum(not isinstance(r, Exception) for r in results) == 10, results
    tally = Tally.objects.get(agency=w.department, procedure=w.permit)
    assert tally.received_online == 10
    assert rebuild.stored() == rebuild.recompute()
