"""An applicant opens a page that needs signing in, signs in through the national portal's
SSO (the in-process provider) with the browser, and lands on the page asked for (HG 5.6)."""

import pytest

from motcua.accounts.models import User


@pytest.mark.django_db(transaction=True)
def test_sign_in_through_the_national_sso_lands_on_the_page_asked_for(live_server, page):
    page.goto(f"{live_server.url}/tai-khoan/")
    assert "/tai-khoan/dang-nhap/?next=/tai-khoan/" in page.url
    page.click("#sso-button")
    page.wait_for_selector("#people")
    assert "/tai-khoan/sso-gia-lap/uy-quyen/" in page.url
    page.get_by_label("Trần Thị Bình — 027185005678").check()
    page.click("button[name=sign_in]")
    page.wait_for_selector("#identity")
    assert page.url == f"{live_server.url}/tai-khoan/"
    facts = page.inner_text("#identity")
    assert "Trần Thị Bình" in facts and "027185005678" in facts
    assert User.objects.get(personal_id="027185005678").kind == User.Kind.CITIZEN
    page.click("header button[type=submit]")  # sign out
    page.goto(f"{live_server.url}/tai-khoan/")
    assert "/tai-khoan/dang-nhap/" in page.url
