"""Scale-out (SPEC §5): two web servers (``motcua serve``: gunicorn) on one PostgreSQL
database and, when Redis answers, two Celery workers delivering the outbox. Applicants submit
and the desk receives through the HTTP API of both servers at once; afterwards no dossier code
is taken twice or skipped, every accepted transition left exactly one event, and every status
message reached the national portal (a fake one, over HTTP) exactly once."""

import os
import secrets
import socket
import subprocess
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest
import redis
import requests
from django.conf import settings
from django.db import connection
from django.test import Client

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.nationalportal.adapters import FakePortalState
from motcua.nationalportal.fakeserver import FakePortalServer
from motcua.outbox.models import OutboxMessage

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs a server database (DATABASE_URL) that two web processes share",
    ),
]

BROKER_URL = "redis://127.0.0.1:6379/7"
APPLICANTS = 4
DOSSIERS_EACH = 4
RECEIVE_ATTEMPTS = 3  # the desk clicks "receive" on each dossier from several screens at once
CSRF = secrets.token_hex(16)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_answers() -> bool:
    try:
        return redis.Redis.from_url(BROKER_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


def forget_queue(queue: str) -> None:
    """The run's queue and the broker's bindings of it."""
    broker = redis.Redis.from_url(BROKER_URL)
    broker.delete(queue, *broker.scan_iter(match=f"_kombu.*{queue}"))


def database_url() -> str:
    db = connection.settings_dict
    auth = (db["USER"] or "") + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start(stack: ExitStack, argv: list[str], env: dict, log) -> subprocess.Popen:
    process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)

    def stop():
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    stack.callback(stop)
    return process


def wait_until_serving(base: str, process: subprocess.Popen, log_path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"web server exited:\n{log_path.read_text()[-3000:]}")
        try:
            requests.get(f"{base}/api/v1/lookup/none/", timeout=10)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    pytest.fail(f"web server did not answer:\n{log_path.read_text()[-3000:]}")


def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def post(base: str, path: str, session: str, data: dict | None = None) -> requests.Response:
    headers = {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={CSRF}",
        "X-CSRFToken": CSRF,
    }
    return requests.post(f"{base}{path}", json=data or {}, headers=headers, timeout=60)


def test_two_web_servers_and_two_workers_share_the_work_without_loss_or_repeat(world, tmp_path):
    workers = redis_answers()
    queue = f"motcua-scale-{secrets.token_hex(4)}"
    applicants = [world.citizen, world.other_citizen] + [
        User.objects.create(username=f"congdan{n}", kind=User.Kind.CITIZEN)
        for n in range(3, APPLICANTS + 1)
    ]
    sessions = {user.pk: session_of(user) for user in [*applicants, world.desk_officer]}

    with ExitStack() as stack:
        portal = stack.enter_context(FakePortalServer(FakePortalState()))
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "motcua.settings.prod",
            "DATABASE_URL": database_url(),
            "MOTCUA_SECRET_KEY": settings.SECRET_KEY,
            "MOTCUA_SSL_REDIRECT": "0",
            "MOTCUA_DATA_DIR": str(tmp_path),
            "MOTCUA_WEB_WORKERS": "1",
            "MOTCUA_WEB_THREADS": "4",
            "MOTCUA_ACCESS_LOG": "",
            "MOTCUA_LOG_LEVEL": "WARNING",
            "MOTCUA_NATIONAL_PORTAL": "http",
            "MOTCUA_NATIONAL_PORTAL_URL": portal.url,
            "MOTCUA_NATIONAL_PORTAL_CLIENT_ID": portal.client_id,
            "MOTCUA_NATIONAL_PORTAL_SECRET": portal.secret,
            # Without workers, each web process delivers its own messages after commit.
            "MOTCUA_OUTBOX_IN_PROCESS": "0" if workers else "1",
            "MOTCUA_BROKER_URL": BROKER_URL,
            "MOTCUA_CELERY_QUEUE": queue,
        }
        bases = []
        for n in (1, 2):
            port = free_port()
            log_path = tmp_path / f"web{n}.log"
            log = stack.enter_context(log_path.open("w"))
            server_env = env | {"MOTCUA_BIND": f"127.0.0.1:{port}"}
            process = start(stack, [sys.executable, "-m", "motcua", "serve"], server_env, log)
            bases.append((f"http://127.0.0.1:{port}", process, log_path))
        if workers:
            stack.callback(forget_queue, queue)
            for n in (1, 2):
                log = stack.enter_context((tmp_path / f"worker{n}.log").open("w"))
                argv = [sys.executable, "-m", "celery", "-A", "motcua", "worker", "-Q", queue]
                argv += ["-c", "2", "-n", f"w{n}@{queue}", "-l", "WARNING", "--without-gossip"]
                argv += ["--without-mingle", "--without-heartbeat"]
                start(stack, argv, env, log)
        for base, process, log_path in bases:
            wait_until_serving(base, process, log_path)
        servers = [base for base, _process, _log in bases]

        def apply(i: int) -> tuple[str, int]:
            """Draft on one server, submit on the other."""
            applicant = applicants[i % APPLICANTS]
            session = sessions[applicant.pk]
            draft = post(
                servers[i % 2],
                "/api/v1/dossiers/",
                session,
                {"procedure": world.permit.national_code, "form_data": world.form},
            )
            assert draft.status_code == 201, draft.text
            public_id = draft.json()["id"]
            submitted = post(
                servers[(i + 1) % 2], f"/api/v1/dossiers/{public_id}/actions/submit/", session
            )
            return public_id, submitted.status_code

        def receive(job: tuple[int, str]) -> tuple[str, int]:
            n, public_id = job
            response = post(
                servers[n % 2],
                f"/api/v1/dossiers/{public_id}/actions/receive/",
                sessions[world.desk_officer.pk],
            )
            return public_id, response.status_code

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=12) as pool:
            submissions = list(pool.map(apply, range(APPLICANTS * DOSSIERS_EACH)))
            jobs = [
                (n, public_id)
                for public_id, _status in submissions
                for n in range(RECEIVE_ATTEMPTS)
            ]
            receptions = list(pool.map(receive, jobs))

        # Submissions: all accepted, codes unique and consecutive per agency and day.
        assert {status for _id, status in submissions} == {200}
        codes = list(
            Dossier.objects.filter(public_id__in=[i for i, _s in submissions]).values_list(
                "code", flat=True
            )
        )
        assert len(codes) == len(set(codes)) == APPLICANTS * DOSSIERS_EACH
        by_day = defaultdict(list)
        for code in codes:
            prefix, number = code.rsplit("-", 1)
            by_day[prefix].append(int(number))
        for numbers in by_day.values():
            assert sorted(numbers) == list(range(1, len(numbers) + 1))

        # Receptions: one per dossier whichever server it reached; the others refused.
        accepted = Counter(public_id for public_id, status in receptions if status == 200)
        assert set(accepted.values()) == {1} and len(accepted) == len(submissions)
        assert {status for _id, status in receptions} <= {200, 409}, receptions

        # Every accepted transition is one event, and nothing else is.
        events = DossierEvent.objects.filter(dossier__public_id__in=list(accepted))
        assert Counter(events.values_list("action", flat=True)) == {
            "submit": len(submissions),
            "receive": len(submissions),
        }
        assert Dossier.objects.filter(status="processing").count() == len(submissions)

        # Every event's status message is delivered once, by a worker or a web process.
        keys = {f"status:{pk}" for pk in events.values_list("pk", flat=True)}
        messages = OutboxMessage.objects.filter(topic="national_portal.status")
        deadline = time.monotonic() + 60
        while messages.filter(status="pending").exists() and time.monotonic() < deadline:
            time.sleep(0.3)
        assert set(messages.values_list("key", flat=True)) == keys
        assert set(messages.values_list("status", "attempts")) == {("sent", 1)}
        pushed = Counter(r.key for r in portal.received if r.path == "/dossier-status")
        assert set(pushed) == keys and set(pushed.values()) == {1}
        # No message of any topic was taken twice (no sweep runs here to retry a failure).
        assert not OutboxMessage.objects.filter(attempts__gt=1).exists()
        assert time.monotonic() - started < 90
