"""The nightly consistency check reports stored due times that differ from a fresh
computation, and changes nothing; it locks only the dossiers it finds different."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.models import QuerySet

from motcua.dossiers.models import Dossier, DossierStep
from motcua.jobs import consistency
from motcua.jobs.consistency import check_deadlines
from motcua.jobs.models import ConsistencyReport

from ..dossiers.conftest import at, new_dossier, received


def test_consistent_deadlines_give_an_empty_report(world):
    received(world)
    new_dossier(world)
    assert check_deadlines() == {"dossiers": 2, "steps": 1, "differences": 0}
    report = ConsistencyReport.objects.get()
    assert report.consistent and report.dossiers_checked == 2 and report.steps_checked == 1


def test_a_stored_due_time_that_differs_is_reported_not_changed(world, caplog):
    dossier = received(world)
    step = dossier.current_step
    wrong = dossier.due_at + timedelta(days=2)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=wrong)
    DossierStep.objects.filter(pk=step.pk).update(due_at=at("2026-03-20T10:00:00+07:00"))

    assert check_deadlines()["differences"] == 2
    report = ConsistencyReport.objects.get()
    assert not report.consistent
    assert {
        "dossier": dossier.code,
        "field": "due_at",
        "stored": wrong.isoformat(),
        "computed": dossier.due_at.isoformat(),
    } in report.differences
    assert {d["field"] for d in report.differences} == {"due_at", "step 2 due_at"}
    assert Dossier.objects.get(pk=dossier.pk).due_at == wrong, "the check changes nothing"
    assert DossierStep.objects.get(pk=step.pk).due_at == at("2026-03-20T10:00:00+07:00")
    assert dossier.code in caplog.text


def _check_with_locks_seen(monkeypatch) -> tuple[dict, list]:
    """Run the check; returns its outcome and the querysets it locked, as (model, SQL)."""
    taken = []
    select_for_update = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked = select_for_update(self, *args, **kwargs)
        taken.append((self.model, str(locked.query)))
        return locked

    with monkeypatch.context() as patch:
        patch.setattr(QuerySet, "select_for_update", spy)
        return check_deadlines(), taken


def test_consistent_deadlines_are_compared_without_a_lock(world, monkeypatch):
    received(world)
    new_dossier(world)
    outcome, locks = _check_with_locks_seen(monkeypatch)
    assert outcome["differences"] == 0 and locks == []


def test_only_the_dossiers_that_differ_are_locked_and_computed_again(world, monkeypatch):
    consistent, different = received(world), received(world)
    Dossier.objects.filter(pk=different.pk).update(due_at=different.due_at + timedelta(days=1))
    outcome, locks = _check_with_locks_seen(monkeypatch)
    assert outcome == {"dossiers": 2, "steps": 2, "differences": 1}
    assert [model for model, _ in locks] == [Dossier, DossierStep]
    for _, sql in locks:
        assert f"IN ({different.pk})" in sql and f"IN ({consistent.pk})" not in sql


def test_the_dossiers_that_differ_are_locked_a_batch_at_a_time(world, monkeypatch):
    dossiers = [received(world) for _ in range(3)]
    for dossier in dossiers:
        Dossier.objects.filter(pk=dossier.pk).update(due_at=dossier.due_at + timedelta(days=1))
    monkeypatch.setattr(consistency, "CHUNK", 2)
    outcome, locks = _check_with_locks_seen(monkeypatch)
    assert outcome["differences"] == 3
    assert [model for model, _ in locks] == [Dossier, DossierStep] * 2


def test_a_difference_gone_once_locked_is_not_reported(world, monkeypatch):
    """The desk changed the dossier between the comparison and the lock."""
    dossier = received(world)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=dossier.due_at + timedelta(days=1))
    compare = consistency._compare

    def desk_acts_after_first_pass(*args):
        found = compare(*args)
        Dossier.objects.filter(pk=dossier.pk).update(due_at=dossier.due_at)
        return found

    monkeypatch.setattr(consistency, "_compare", desk_acts_after_first_pass)
    assert check_deadlines()["differences"] == 0
    assert ConsistencyReport.objects.get().consistent


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a server database (DATABASE_URL)"
)
def test_the_check_is_not_held_up_by_a_dossier_being_worked_on(world):
    """A desk holds a consistent dossier's row (a transition in progress): the check runs."""
    busy = received(world)
    locked, release = threading.Event(), threading.Event()

    def desk():
        try:
            with transaction.atomic():
                Dossier.objects.select_for_update().get(pk=busy.pk)
                DossierStep.objects.select_for_update().filter(dossier=busy).count()
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=desk)
    thread.start()
    try:
        assert locked.wait(timeout=10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # waiting for the lock would fail
        assert check_deadlines() == {"dossiers": 1, "steps": 1, "differences": 0}
    finally:
        release.set()
        thread.join(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")


def test_the_report_is_named_in_vietnamese():
    from django.utils import translation

    with translation.override("vi"):
        assert str(ConsistencyReport._meta.verbose_name) == "báo cáo kiểm tra thống nhất thời hạn"
