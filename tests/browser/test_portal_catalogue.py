"""A visitor finds a procedure by typing without accents and opens its page (SPEC §3 item 1)."""

import pytest

from motcua.catalogue.models import Fee

from ..factories import ProcedureFactory


@pytest.mark.django_db(transaction=True)
def test_search_without_accents_then_the_procedure_page(live_server, page):
    ProcedureFactory(name="Cấp lại giấy phép xây dựng")
    ProcedureFactory(name="Cấp giấy phép lái xe")
    permit = ProcedureFactory(name="Cấp giấy phép xây dựng", online_level="full")
    Fee.objects.create(procedure=permit, name="Lệ phí cấp giấy phép", amount=150_000)

    page.goto(f"{live_server.url}/")
    page.get_by_label("Tìm thủ tục hành chính").fill("cap giay phep xay dung")
    page.keyboard.press("Enter")
    page.wait_for_url("**/thu-tuc/?q=*")
    results = page.locator("#results li strong")
    assert results.all_inner_texts() == ["Cấp giấy phép xây dựng", "Cấp lại giấy phép xây dựng"]

    results.first.click()
    page.wait_for_url(f"**/thu-tuc/{permit.pk}/")
    assert page.locator("h1").inner_text() == "Cấp giấy phép xây dựng"
    assert "150.000 đ" in page.locator("#fees").inner_text()
    assert page.locator("#apply").get_attribute("href") == f"/thu-tuc/{permit.pk}/nop-ho-so/"
