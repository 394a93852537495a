"""The province monitor reads the statistics of March 2026, downloads them as a spreadsheet,
publishes the month's late list on the Portal (BN 24.3) and opens the service index
dashboard (SPEC §3 item 18); a citizen then reads the published list without any applicant
named in it."""

import io

import pytest
from openpyxl import load_workbook

from tests.reports.fixtures_late_lists import APPLICANT_ID, APPLICANT_NAME, make_late

from .test_backoffice_journey import sign_in


@pytest.mark.django_db(transaction=True)
def test_monitor_reads_exports_publishes_and_the_public_reads(live_server, page, world):
    late = make_late(world)
    sign_in(page, live_server.url, world.monitor)

    page.click("header nav a[href='/noi-bo/bao-cao/']")
    page.fill("#id_month", "2026-03")
    page.click("#statistics-filters button[type=submit]")
    page.wait_for_selector("#form06")
    total = page.locator("#total")
    # Five permits and one birth registration received online in March; A, D and F settled
    # late (E only in April).
    assert total.locator("td[data-col=received_online]").inner_text() == "6"
    assert total.locator("td[data-col=settled_late]").inner_text() == "3"
    with page.expect_download() as download:
        page.click("#download-xlsx")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert any(str(cell).startswith("Biểu số 06") for cell in cells if cell)

    page.click("header nav a[href='/noi-bo/cham-muon/']")
    page.fill("input[name=thang]", "2026-03")
    page.click("form[role=search] button[type=submit]")
    assert late.a.code in page.inner_text("main")
    page.click("form[action='/noi-bo/cham-muon/cong-bo/'] button[type=submit]")
    page.wait_for_selector("#published")

    page.click("header nav a[href='/noi-bo/chi-so/']")
    page.wait_for_selector("svg")
    assert page.locator("svg title").count() >= 1

    citizen = page.context.browser.new_context(locale="vi-VN").new_page()
    citizen.goto(f"{live_server.url}/cong-khai/cham-muon/2026-03/")
    text = citizen.inner_text("main")
    assert late.a.code in text and "Sở Tư pháp" in text
    assert APPLICANT_NAME not in citizen.content() and APPLICANT_ID not in citizen.content()
    citizen.context.close()
