import time

from django.core.management.base import BaseCommand

from motcua.nationalportal.adapters import FakePortalState
from motcua.nationalportal.fakeserver import FakePortalServer


class Command(BaseCommand):
    help = (
        "Serve a fake national public-service portal over HTTP (the demo catalogue's "
        "procedures) to try the production client against; stop with Ctrl-C."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--client-id", default="motcua-demo")
        parser.add_argument("--secret", default="motcua-demo-secret")

    def handle(self, *args, port, client_id, secret, **options):
        server = FakePortalServer(
            FakePortalState.from_demo_catalogue(), client_id=client_id, secret=secret, port=port
        )
        with server:
            self.stdout.write(
                f"MOTCUA_NATIONAL_PORTAL=http MOTCUA_NATIONAL_PORTAL_URL={server.url} "
                f"MOTCUA_NATIONAL_PORTAL_CLIENT_ID={client_id} "
                f"MOTCUA_NATIONAL_PORTAL_SECRET={secret}"
            )
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                self.stdout.write("stopped")
