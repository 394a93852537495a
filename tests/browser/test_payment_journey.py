"""An applicant pays the fee of a received dossier through the payment gateway (here the
in-process fake) and sees it paid (SPEC §3 item 5; BN 14.4, VP 15, TN 20.2)."""

import pytest
from django.conf import settings
from django.test import Client

from motcua.payments.models import Payment
from tests.dossiers.conftest import received


def sign_in_as(page, base, user):
    """The applicant's session, opened server-side (the national SSO is another journey)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


@pytest.mark.django_db(transaction=True)
def test_applicant_pays_the_fee_online(live_server, page, world, settings):
    settings.MOTCUA_PAYMENT_GATEWAY = "fake"
    dossier = received(world)
    assert dossier.status == "processing" and dossier.fee_paid_at is None
    base = live_server.url
    sign_in_as(page, base, world.citizen)

    page.goto(f"{base}/thanh-toan/{dossier.public_id}/")
    assert "Nộp phí, lệ phí" in page.inner_text("h1")
    assert page.inner_text("#total") == "100.000 đồng"
    page.click("#pay")

    page.wait_for_selector("#order")
    assert "Cổng thanh toán giả lập" in page.inner_text("h1")
    assert page.inner_text("#amount") == "100.000 đồng"
    assert dossier.code in page.inner_text("#order")
    page.click("#pay")

    page.wait_for_selector("#payment-status[data-status=paid]")
    assert "Thanh toán thành công" in page.inner_text("#payment-status")
    assert dossier.code in page.inner_text("main")
    dossier.refresh_from_db()
    assert dossier.fee_paid_at is not None
    assert Payment.objects.get(dossier=dossier).status == "paid"

    receipt = page.context.request.get(base + page.get_attribute("a[href$='bien-lai.pdf']", "href"))
    assert receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF")

    page.goto(f"{base}/thanh-toan/{dossier.public_id}/")
    page.wait_for_selector("#paid[data-status=paid]")
    assert page.locator("#pay").count() == 0
