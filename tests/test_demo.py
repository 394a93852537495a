"""The demo province and ``motcua demo`` on the embedded defaults."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.catalogue.models import Agency, AgencyEvent, Procedure, ProcessVersion
from motcua.catalogue.services import check_process_fits
from motcua.demo.loader import DEMO_PASSWORD, load_demo
from motcua.dossiers.models import Dossier, Status
from motcua.outbox.models import OutboxMessage
from motcua.profiles import load_profile, profile_names
from motcua.reports import rebuild


@pytest.mark.django_db
@pytest.mark.parametrize("profile", profile_names())
def test_every_profile_has_a_demo_province(profile, settings):
    settings.MOTCUA_PROFILE = profile
    summary = load_demo(profile)
    assert summary.procedures >= 20
    procedures = Procedure.objects.all()
    assert {p.level for p in procedures} == {"province", "commune"}
    assert {p.online_level for p in procedures} >= {"full", "partial"}
    for procedure in procedures:
        version = procedure.current_process()
        assert version.status == ProcessVersion.Status.PUBLISHED
        check_process_fits(version)
        assert procedure.components.exists()
        assert procedure.agencies.filter(status=Agency.Status.ACTIVE).exists()
    assert Agency.objects.filter(level="commune", status="active").count() >= 2
    assert Agency.objects.filter(status=Agency.Status.MERGED).exists()  # 1 July 2025 reform

    expected = set(Status.values)
    rules = load_profile(profile)
    if rules.supplement.timeout is None:
        expected.discard(Status.CANCELLED)  # no timeout in this regulation
    if rules.results.originals_deadline is None:
        expected.discard(Status.EXPIRED)
    assert set(Dossier.objects.values_list("status", flat=True)) == expected
    assert (
        Dossier.objects.filter(timeliness="late").exists()
        or Dossier.objects.filter(status="processing", due_at__lt=timezone.now()).exists()
    )
    # The invented history is not announced to anyone…
    assert not OutboxMessage.objects.exists()
    # …but it is counted in the reports, as the history says.
    assert rebuild.stored() == rebuild.recompute() != {}


@pytest.mark.django_db
def test_demo_dossiers_and_their_history_through_the_api(client):
    load_demo("bac-ninh")
    client.force_login(User.objects.get(username="giamsat"))
    listed = client.get("/api/v1/dossiers/", {"page_size": 100}).json()["results"]
    assert {d["status"] for d in listed} >= {"processing", "returned", "result_ready"}
    returned = next(d for d in listed if d["status"] == "returned")
    history = client.get(f"/api/v1/dossiers/{returned['id']}/history/").json()
    assert [e["action"] for e in history][:2] == ["submit", "receive"]
    assert history[-1]["action"] == "return_result"


@pytest.mark.django_db
def test_demo_accounts_cover_every_role_and_a_second_load_changes_nothing():
    first = load_demo("bac-ninh")
    staff = User.objects.filter(kind=User.Kind.STAFF)
    assert set(staff.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.filter(kind=User.Kind.CITIZEN).count() == 2
    assert User.objects.filter(kind=User.Kind.ORGANISATION).count() == 1
    assert all(user.check_password(DEMO_PASSWORD) for user in User.objects.all())
    counts = (
        Agency.objects.count(),
        Procedure.objects.count(),
        AgencyEvent.objects.count(),
        ProcessVersion.objects.count(),
        User.objects.count(),
    )
    second = load_demo("bac-ninh")
    assert (
        Agency.objects.count(),
        Procedure.objects.count(),
        AgencyEvent.objects.count(),
        ProcessVersion.objects.count(),
        User.objects.count(),
    ) == counts
    assert [a.username for a in second.accounts] == [a.username for a in first.accounts]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _demo(data_dir, *args):
    env = {**os.environ, "MOTCUA_DATA_DIR": str(data_dir)}
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "MOTCUA_PROFILE"):
        env.pop(name, None)
    return subprocess.Popen(
        [sys.executable, "-m", "motcua", "demo", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )


def _wait_for(url: str, process, seconds: float = 90) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def test_motcua_demo_serves_then_stops_cleanly_and_reuses_its_data(tmp_path):
    port = _free_port()
    server = _demo(tmp_path, "--addrport", f"127.0.0.1:{port}")
    try:
        schema = _wait_for(f"http://127.0.0.1:{port}/api/schema/", server)
        assert b"openapi" in schema
        admin = _wait_for(f"http://127.0.0.1:{port}/admin/login/", server)
        assert b"csrfmiddlewaretoken" in admin
        home = _wait_for(f"http://127.0.0.1:{port}/", server).decode()
        assert "Bắc Ninh" in home
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0, output
    assert "Traceback" not in output
    for username in ("tiepnhan", "giamsat", "congan", "congdan1", "congdan2", "doanhnghiep1"):
        assert username in output
    assert DEMO_PASSWORD in output
    assert (tmp_path / "bac-ninh.sqlite3").exists()

    again = _demo(tmp_path, "--no-serve")
    second_output, _ = again.communicate(timeout=120)
    assert again.returncode == 0, second_output
    totals = re.compile(r"(\d+) agencies, (\d+) procedures")
    assert totals.search(second_output).groups() == totals.search(output).groups()
