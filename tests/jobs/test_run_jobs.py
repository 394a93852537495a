"""``motcua run_jobs`` runs the scheduled jobs once; the beat schedule names real jobs."""

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from motcua.celery import app
from motcua.jobs.models import ConsistencyReport
from motcua.jobs.schedule import JOBS, run

from ..dossiers.conftest import new_dossier

pytestmark = pytest.mark.django_db


def test_every_job_runs_once(world, capsys):
    new_dossier(world)
    call_command("run_jobs")
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == list(JOBS)
    assert "consistency: differences: 0, dossiers: 1, steps: 0" in lines
    assert ConsistencyReport.objects.count() == 1


def test_one_job_alone(capsys):
    call_command("run_jobs", "--only", "reception")
    assert capsys.readouterr().out == "reception: nothing to do\n"
    with pytest.raises(CommandError):
        call_command("run_jobs", "--only", "nonsense")


def test_the_beat_schedule_runs_registered_tasks_and_known_jobs():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
        if entry["task"] == "motcua.jobs.run":
            assert entry["args"][0] in JOBS
    assert {e["args"][0] for e in settings.CELERY_BEAT_SCHEDULE.values() if "args" in e} == set(
        JOBS
    ) - {"outbox"}


def test_the_job_task_runs_a_job():
    from motcua.jobs.tasks import run_job

    assert run_job("outbox") == run("outbox") == {}


def test_the_national_portal_and_payment_jobs_report_counts(db):
    """The fake national portal holds no dossiers and the demo catalogue's codes: a pull
    creates nothing, a sync flags the procedures it does not know; no payment is pending."""
    assert run("national-dossiers") == {"created": 0, "refused": 0, "acknowledged": 0}
    assert run("national-catalogue") == {"changed": 0, "unknown": 0, "failed": 0}
    assert run("payments") == {}
