"""Callbacks under real concurrency (PostgreSQL): gateways retry, and two attempts of one
dossier may be confirmed at the same moment; the fee is recorded once."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import connection

from motcua.dossiers.models import DossierEvent
from motcua.payments import services
from motcua.payments.models import Payment
from tests.dossiers.test_concurrency import run_together

from .conftest import gateway_answer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs a server database (DATABASE_URL)"
    ),
]

RETURN = "http://testserver/thanh-toan/ket-qua/"


def order_for(dossier, payer) -> dict[str, str]:
    _payment, url = services.start(dossier, payer, return_url=RETURN)
    return dict(parse_qsl(urlsplit(url).query))


def test_the_same_callback_at_once_records_the_fee_once(dossier, world):
    answer = gateway_answer(order_for(dossier, world.citizen))
    results = run_together(lambda i: services.confirm(answer), 6)
    assert results == ["confirmed"] * 6
    assert DossierEvent.objects.filter(dossier=dossier, action="pay").count() == 1
    assert Payment.objects.get().status == "paid"


def test_two_attempts_confirmed_at_once_make_one_payment(dossier, world):
    answers = [gateway_answer(order_for(dossier, world.citizen)) for _ in range(2)]
    results = run_together(lambda i: services.confirm(answers[i]), 2)
    assert sorted(results) == ["already_confirmed", "confirmed"], results
    assert Payment.objects.filter(status="paid").count() == 1
    assert DossierEvent.objects.filter(dossier=dossier, action="pay").count() == 1
