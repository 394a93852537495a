import pytest

from motcua.nationalportal.adapters import FakeNationalPortal, FakePortalState
from motcua.nationalportal.fakeserver import FakePortalServer
from tests.dossiers.conftest import at, new_dossier, world  # noqa: F401 — the shared province


@pytest.fixture(autouse=True)
def fresh_fake(monkeypatch):
    """Each test starts with an empty in-process national portal."""
    monkeypatch.setattr(FakeNationalPortal, "state", FakePortalState())


@pytest.fixture
def portal(settings):
    """The fake national portal over HTTP on a free loopback port, used through the
    production client: one attempt per call, a client that waits 0.25 s, a server whose
    "timeout" fault answers after 0.6 s."""
    with FakePortalServer(FakePortalState(), delay=0.6) as server:
        settings.MOTCUA_NATIONAL_PORTAL = "http"
        settings.MOTCUA_NATIONAL_PORTAL_URL = server.url
        settings.MOTCUA_NATIONAL_PORTAL_CLIENT_ID = server.client_id
        settings.MOTCUA_NATIONAL_PORTAL_SECRET = server.secret
        settings.MOTCUA_NATIONAL_PORTAL_TIMEOUT = 0.25
        settings.MOTCUA_NATIONAL_PORTAL_RETRIES = 0
        settings.MOTCUA_NATIONAL_PORTAL_BACKOFF = 0
        yield server
