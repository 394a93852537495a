"""Bounded load test (SPEC §5, §6): the production web server under concurrent public status
lookups by code and online submissions, driven by locust, headless, on loopback only.

Creates a throw-away database (a SQLite file, or a new database on the PostgreSQL server named
by ``DATABASE_URL``), migrates it and fills it through the dossier engine (the procedure of
``bench/engine.py``, submitted dossiers to look up, one signed-in applicant per simulated
user), starts ``motcua serve`` (gunicorn, production settings) on a free loopback port, then
runs the swarm for a fixed time and stops by itself. Each simulated user looks dossiers up by
code (the API and the page printed in the receipts' QR codes) four times as often as it
submits one online (draft, then submit, through the API). Prints requests per second and
the errors; the bar is no error at all (exit status 1 otherwise).

    python bench/load.py [--users 20] [--seconds 20] [--web-workers 2] [--dossiers 200]

Needs the ``bench`` extra (locust). Locust patches the standard library for gevent when it is
imported, so the swarm runs in a process of its own that never loads Django.
"""

import benchsetup  # noqa: I001 — must come first: see its docstring

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

LOOKUP_WEIGHT, SUBMIT_WEIGHT = 4, 1
CSRF = secrets.token_hex(16)


# -- the database and its data (a process with Django) -------------------------------------
def prepare(users: int, dossiers: int) -> dict:
    """Migrate the database and fill it; what the swarm needs, as JSON-ready data."""
    import importlib.util

    # bench/engine.py sets Django up on the environment's settings and database; the bench
    # folder is off the import path (see benchsetup), so it is loaded from its file.
    spec = importlib.util.spec_from_file_location("engine", benchsetup.BENCH / "engine.py")
    engine = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(engine)

    from django.core.management import call_command
    from django.test import Client

    from motcua.accounts.models import User
    from motcua.dossiers import services

    call_command("migrate", verbosity=0)
    procedure, _agency, citizen, _officer = engine.world()
    codes = [services.submit(d, citizen).code for d in engine.drafts(procedure, citizen, dossiers)]
    sessions = []
    for n in range(users):
        applicant = User.objects.create(username=f"load{n}", kind=User.Kind.CITIZEN)
        client = Client()
        client.force_login(applicant)
        sessions.append(client.session.session_key)
    return {
        "procedure": procedure.national_code,
        "form": engine.FORM,
        "codes": codes,
        "sessions": sessions,
    }


# -- the swarm (a process with locust, without Django) --------------------------------------
def swarm(host: str, data: dict, users: int, seconds: int) -> int:
    """Run the simulated users for ``seconds``; print the results; 1 on any error."""
    import itertools
    import random

    import gevent
    from locust import HttpUser, constant, task
    from locust.env import Environment

    sessions = itertools.cycle(data["sessions"])

    class Citizen(HttpUser):
        wait_time = constant(0)

        def on_start(self):
            self.headers = {
                "Cookie": f"sessionid={next(sessions)}; csrftoken={CSRF}",
                "X-CSRFToken": CSRF,
            }

        @task(LOOKUP_WEIGHT // 2)
        def lookup_api(self):
            code = random.choice(data["codes"])
            self.client.get(f"/api/v1/lookup/{code}/", name="lookup: API")

        @task(LOOKUP_WEIGHT // 2)
        def lookup_page(self):
            code = random.choice(data["codes"])
            self.client.get(f"/tra-cuu/{code}/", name="lookup: page /tra-cuu/<code>/")

        @task(SUBMIT_WEIGHT)
        def submit_online(self):
            body = {"procedure": data["procedure"], "form_data": data["form"]}
            draft = self.client.post(
                "/api/v1/dossiers/", json=body, headers=self.headers, name="submission: draft"
            )
            if draft.status_code != 201:
                return
            self.client.post(
                f"/api/v1/dossiers/{draft.json()['id']}/actions/submit/",
                json={},
                headers=self.headers,
                name="submission: submit",
            )

    env = Environment(user_classes=[Citizen], host=host)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()

    print(f"{users} users for {seconds} s against {host}")
    print(f"{'':<32} {'requests':>9} {'errors':>7} {'req/s':>8} {'median ms':>10} {'p95 ms':>7}")
    for entry in sorted(env.stats.entries.values(), key=lambda e: e.name):
        _row(entry.name, entry)
    _row("total", env.stats.total)
    errors = env.stats.total.num_failures + sum(e.occurrences for e in runner.exceptions.values())
    for error in env.stats.errors.values():
        print(f"error ×{error.occurrences}: {error.method} {error.name}: {error.error}")
    print(f"errors {errors} (bar: 0)")
    return 1 if errors or not env.stats.total.num_requests else 0


def _row(name, entry) -> None:
    print(
        f"{name:<32} {entry.num_requests:>9} {entry.num_failures:>7} "
        f"{entry.total_rps:>8.1f} {entry.median_response_time or 0:>10.0f} "
        f"{entry.get_response_time_percentile(0.95) or 0:>7.0f}"
    )


# -- the run --------------------------------------------------------------------------------
def throwaway_database(folder: Path) -> tuple[str, str | None]:
    """A new database's URL, and the name to drop afterwards (None for a SQLite file)."""
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{folder / 'load.sqlite3'}", None
    import psycopg

    name = f"motcua_load_{os.getpid()}"
    with psycopg.connect(_on_database(server, "postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return _on_database(server, name), name


def _on_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(_on_database(url, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url: str, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the web server exited with status {server.returncode}")
        try:
            urllib.request.urlopen(f"{url}/api/v1/lookup/none/", timeout=10)
        except urllib.error.HTTPError:
            return  # it answers (404: no such dossier)
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the web server did not answer")


def run(args) -> int:
    with tempfile.TemporaryDirectory(prefix="motcua-load-") as tmp:
        folder = Path(tmp)
        (folder / "static").mkdir()
        database, drop = throwaway_database(folder)
        port = free_port()
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "motcua.settings.prod",
            "DATABASE_URL": database,
            "MOTCUA_SECRET_KEY": secrets.token_urlsafe(40),
            "MOTCUA_SSL_REDIRECT": "0",
            "MOTCUA_DATA_DIR": str(folder),
            "MOTCUA_BIND": f"127.0.0.1:{port}",
            "MOTCUA_WEB_WORKERS": str(args.web_workers),
            "MOTCUA_ACCESS_LOG": "",
            "MOTCUA_LOG_LEVEL": "WARNING",
            # The per-address limits would stop a load from one address: lifted here.
            "MOTCUA_LOOKUP_RATE": "1000000/s",
            "MOTCUA_PORTAL_LOOKUP_RATE": "1000000/second",
        }
        server = None
        try:
            prepare_argv = ["--prepare", f"--users={args.users}", f"--dossiers={args.dossiers}"]
            prepared = subprocess.run(
                [sys.executable, __file__, *prepare_argv],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            data = json.loads(prepared.stdout.strip().splitlines()[-1])
            log = (folder / "server.log").open("w")
            server = subprocess.Popen(
                [sys.executable, "-m", "motcua", "serve"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            host = f"http://127.0.0.1:{port}"
            wait_until_serving(host, server)
            print(f"database: {urlsplit(database).scheme}; {args.web_workers} web workers")
            swarm_argv = ["--swarm", host, f"--users={args.users}", f"--seconds={args.seconds}"]
            swarmed = subprocess.run(
                [sys.executable, __file__, *swarm_argv],
                input=json.dumps(data),
                text=True,
                timeout=args.seconds + 120,
            )
            status = swarmed.returncode
            if status:
                print((folder / "server.log").read_text()[-3000:], file=sys.stderr)
            return status
        except subprocess.CalledProcessError as error:
            print(error.stderr, file=sys.stderr)
            return 1
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
            if drop:
                drop_database(os.environ["DATABASE_URL"], drop)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--dossiers", type=int, default=200, help="dossiers to look up")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--swarm", metavar="HOST", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        print(json.dumps(prepare(args.users, args.dossiers)))
        return 0
    if args.swarm:
        return swarm(args.swarm, json.load(sys.stdin), args.users, args.seconds)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
