"""``motcua calendar``: one value on stdout; bad input is one line on stderr, exit 2."""

import os
import subprocess
import sys
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from motcua.calendar.models import CalendarOverride


def run(*args):
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["add-hours", "--start", "2026-02-13T16:00:00+07:00", "--hours", "8"],
            "2026-02-23T16:00:00+07:00\n",
        ),
        (
            ["add-hours", "--start", "2026-02-13T09:00:00Z", "--hours", "0.5"],
            "2026-02-13T16:30:00+07:00\n",
        ),
        (
            ["add-days", "--start", "2026-02-13T16:00:00+07:00", "--days", "1"],
            "2026-02-23T16:00:00+07:00\n",
        ),
        (
            [
                "between",
                "--start",
                "2026-02-13T16:00:00+07:00",
                "--end",
                "2026-02-23T16:30:00+07:00",
            ],
            "8.5\n",
        ),
        (
            [
                "between",
                "--start",
                "2026-03-02T07:30:00+07:00",
                "--end",
                "2026-03-02T07:50:00+07:00",
            ],
            "0.333333\n",
        ),
        (
            [
                "add-hours",
                "--start",
                "2026-02-13T16:00:00+07:00",
                "--hours",
                "8",
                "--profile",
                "hau-giang",
            ],
            "2026-02-23T16:00:00+07:00\n",
        ),
    ],
)
def test_prints_one_value(args, expected):
    assert run(*args) == expected


@pytest.mark.django_db
def test_honours_overrides_in_the_database():
    args = ["add-hours", "--start", "2026-02-27T16:00:00+07:00", "--hours", "2"]
    assert run(*args) == "2026-03-02T08:30:00+07:00\n"
    CalendarOverride.objects.create(
        day=date(2026, 3, 2), kind=CalendarOverride.Kind.DAY_OFF, reason="Bão số 3"
    )
    assert run(*args) == "2026-03-03T08:30:00+07:00\n"
    CalendarOverride.objects.create(
        day=date(2026, 2, 28), kind=CalendarOverride.Kind.WORKING_DAY, reason="Làm bù"
    )
    assert run(*args) == "2026-02-28T08:30:00+07:00\n"


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    env = {
        **os.environ,
        "MOTCUA_DATA_DIR": str(tmp_path_factory.mktemp("data")),
        "DJANGO_SETTINGS_MODULE": "motcua.settings.dev",
    }
    env.pop("DATABASE_URL", None)

    def invoke(*args):
        return subprocess.run(
            [sys.executable, "-m", "motcua", "calendar", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )

    return invoke


def test_command_line_prints_only_the_value(cli):
    result = cli("add-hours", "--start", "2026-02-13T16:00:00+07:00", "--hours", "8")
    assert (result.returncode, result.stdout) == (0, "2026-02-23T16:00:00+07:00\n")


@pytest.mark.parametrize(
    "args",
    [
        ["add-hours", "--start", "2026-02-13T16:00:00", "--hours", "8"],  # no offset
        ["add-hours", "--start", "13/02/2026 16:00", "--hours", "8"],  # unparsable
        ["add-hours", "--start", "2026-02-13T16:00:00+07:00", "--hours", "tám"],
        ["add-days", "--start", "2026-02-13T16:00:00+07:00", "--days", "-1"],
        ["add-days", "--start", "2026-02-13T16:00:00+07:00", "--days", "NaN"],
        ["between", "--start", "2026-02-13T16:00:00+07:00", "--end", "tomorrow"],
        [
            "add-hours",
            "--start",
            "2026-02-13T16:00:00+07:00",
            "--hours",
            "1",
            "--profile",
            "atlantis",
        ],
    ],
)
def test_command_line_rejects_malformed_input(cli, args):
    result = cli(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
