"""A dossier with a fee, its applicant signed in, and the fake gateway's two sides."""

from urllib.parse import parse_qsl, urlsplit

import pytest

from motcua.payments.gateways import FakeGateway
from tests.dossiers.conftest import new_dossier, world  # noqa: F401 — the shared small province


@pytest.fixture(autouse=True)
def fake_gateway(settings):
    settings.MOTCUA_PAYMENT_GATEWAY = "fake"
    settings.MOTCUA_PAYMENT_MERCHANT = "MOTCUA01"


@pytest.fixture
def dossier(world):  # noqa: F811 — the imported fixture
    """Submitted, with the permit's fee of 100 000 đồng due."""
    return new_dossier(world)


@pytest.fixture
def applicant(client, world):  # noqa: F811
    client.force_login(world.citizen)
    return client


def pay_url(dossier) -> str:
    return f"/thanh-toan/{dossier.public_id}/"


def start(client, dossier) -> dict[str, str]:
    """Press "Pay" on the fees page: the signed order the gateway receives."""
    response = client.post(pay_url(dossier))
    assert response.status_code == 302, response
    location = urlsplit(response["Location"])
    assert location.path == "/thanh-toan/gia-lap/"
    return dict(parse_qsl(location.query))


def gateway_answer(order: dict[str, str], *, pay: bool = True) -> dict[str, str]:
    """What the gateway signs for ``order``: paid, or cancelled by the payer."""
    return FakeGateway().outcome_of(order, pay=pay)
