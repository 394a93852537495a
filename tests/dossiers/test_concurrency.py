"""Codes and transitions under real concurrency (PostgreSQL): threads with their own
connections hit the same agency and the same dossier at once."""

import threading

import pytest
from django.db import connection

from motcua.dossiers import services
from motcua.dossiers.errors import TransitionNotAllowed
from motcua.dossiers.models import Dossier

from .conftest import at

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs a server database (DATABASE_URL)"
    ),
]


def run_together(target, count):
    """Start ``count`` threads on ``target(i)`` released by one barrier; collect results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def work(i):
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as error:  # the test inspects what each thread got
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_simultaneous_submissions_never_collide_nor_skip(world):
    w = world
    drafts = [
        services.create_draft(w.permit, applicant=w.citizen, form_data=dict(w.form))
        for _ in range(12)
    ]
    moment = at("2026-03-02T09:00:00+07:00")
    results = run_together(lambda i: services.submit(drafts[i], w.citizen, at=moment).code, 12)
    assert sorted(results) == [f"000.00.15.H06-260302-{n:04d}" for n in range(1, 13)]


def test_simultaneous_actions_on_one_dossier_apply_once(world):
    w = world
    draft = services.create_draft(w.permit, applicant=w.citizen, form_data=dict(w.form))
    dossier = services.submit(draft, w.citizen, at=at("2026-03-02T09:00:00+07:00"))
    results = run_together(lambda i: services.receive(dossier, w.desk_officer), 6)
    received = [r for r in results if isinstance(r, Dossier)]
    refused = [r for r in results if isinstance(r, TransitionNotAllowed)]
    assert (len(received), len(refused)) == (1, 5), results
    assert dossier.events.filter(action="receive").count() == 1
    assert dossier.steps.count() == 5
