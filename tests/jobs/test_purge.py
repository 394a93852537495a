"""The ``phone-codes`` job deletes the phone sign-in codes and wrong-code records no hourly limit
counts any more (VP 10.1; TN 11), hourly on the beat schedule and with ``run_jobs``."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from motcua.identity.models import PhoneCode, WrongCode

pytestmark = pytest.mark.django_db

PHONE = "0912345678"


def _rows(age: timedelta) -> None:
    at = timezone.now() - age
    PhoneCode.objects.create(
        phone=PHONE, code_hash="x", ip=None, created_at=at, expires_at=at + timedelta(minutes=5)
    )
    WrongCode.objects.create(phone=PHONE, ip="203.0.113.7", at=at)


def test_the_job_purges_old_codes_and_keeps_the_last_hour(capsys):
    _rows(timedelta(hours=2))
    _rows(timedelta(minutes=10))
    call_command("run_jobs", "--only", "phone-codes")
    assert capsys.readouterr().out == "phone-codes: codes: 1, wrong_codes: 1\n"
    assert PhoneCode.objects.count() == 1 and WrongCode.objects.count() == 1


def test_the_purge_runs_every_hour():
    assert settings.CELERY_BEAT_SCHEDULE["phone-codes-purge"] == {
        "task": "motcua.jobs.run",
        "schedule": 3600.0,
        "args": ["phone-codes"],
    }
