import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the production web server (gunicorn with motcua.gunicorn_conf; settings from "
        "the environment: MOTCUA_BIND, MOTCUA_WEB_WORKERS …)."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--bind", help="address:port, overrides MOTCUA_BIND")
        parser.add_argument("--workers", type=int, help="overrides MOTCUA_WEB_WORKERS")

    def handle(self, *args, bind, workers, **options):
        if bind:
            os.environ["MOTCUA_BIND"] = bind
        if workers:
            os.environ["MOTCUA_WEB_WORKERS"] = str(workers)
        # Gunicorn takes over this process; its workers load the project themselves.
        argv = [sys.executable, "-m", "gunicorn", "-c", "python:motcua.gunicorn_conf"]
        os.execv(sys.executable, argv)
