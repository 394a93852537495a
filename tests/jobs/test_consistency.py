"""The nightly consistency check reports stored due times that differ from a fresh
computation, and changes nothing."""

from datetime import timedelta

from motcua.dossiers.models import Dossier, DossierStep
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


def test_the_report_is_named_in_vietnamese():
    from django.utils import translation

    with translation.override("vi"):
        assert str(ConsistencyReport._meta.verbose_name) == "báo cáo kiểm tra thống nhất thời hạn"
