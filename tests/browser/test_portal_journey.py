"""The citizen's whole journey on the Portal (SPEC §3 items 1–7): find the procedure without
accents, sign in through the national SSO, apply online (an invalid field first: nothing is
saved), pay through the gateway, get received in the back office, download the signed result,
rate the service, then look the dossier up by code and by the receipt's QR address signed out."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from fpdf import FPDF

from motcua.dossiers import results, services
from motcua.dossiers.models import Dossier, Status
from motcua.feedback.models import Rating
from motcua.signing.signing import verify_pdf

from .test_backoffice_journey import sign_in as staff_sign_in
from .test_backoffice_journey import sign_out as staff_sign_out

SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def _result_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Giay phep xay dung")
    return bytes(pdf.output())


def _choose_files(page, component, tmp_path):
    scan = tmp_path / "don-de-nghi.pdf"
    scan.write_bytes(SCAN)
    page.set_input_files(f"#id_component_{component.pk}", str(scan))


def _off_the_loop(function, *args):
    """pyHanko signs and verifies inside ``asyncio.run()``, which cannot nest in the event
    loop Playwright runs in this thread: run it in another one."""
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(function, *args).result()


def _settle(w, dossier):
    """The processing steps and the signed result, as the back office journeys do them."""
    for officer in (w.specialist, w.unit_leader, w.leader):
        dossier = services.forward(dossier, officer)
    results.attach_result(dossier, "giay-phep.pdf", _result_pdf(), by=w.leader, sign=True)
    dossier = services.complete(dossier, w.clerk)
    return services.return_result(dossier, w.desk_officer, method="online")


@pytest.mark.django_db(transaction=True)
def test_a_citizen_applies_pays_gets_the_signed_result_rates_and_looks_it_up(
    live_server, page, world, tmp_path, settings
):
    settings.MOTCUA_PAYMENT_GATEWAY = "fake"
    w, base = world, live_server.url
    w.permit.name = "Cấp giấy phép xây dựng"
    w.permit.save()
    component = w.permit.components.get()

    # Search without accents, open the procedure, go to apply: sign in first.
    page.goto(f"{base}/")
    page.fill("#home-q", "cap giay phep xay dung")
    page.keyboard.press("Enter")
    page.wait_for_url("**/thu-tuc/?q=*")
    page.locator("#results li a").first.click()
    page.wait_for_url(f"**/thu-tuc/{w.permit.pk}/")
    assert page.inner_text("h1") == "Cấp giấy phép xây dựng"
    page.click("#apply")
    page.wait_for_url("**/tai-khoan/dang-nhap/**")

    # The national SSO (the in-process provider) signs in the citizen the desk already knows.
    page.click("#sso-button")
    page.get_by_label("Nguyễn Văn An — 027090001234").check()
    page.click("button[name=sign_in]")
    page.wait_for_url(f"**/thu-tuc/{w.permit.pk}/nop-ho-so/")

    # One invalid field: the error is shown at the field and nothing is saved.
    page.fill("#id_form_full_name", "Nguyễn Văn An")
    page.fill("#id_form_id_number", "12")
    _choose_files(page, component, tmp_path)
    page.click("button[value=submit]")
    page.wait_for_selector("[aria-invalid=true]")
    assert page.get_attribute("#id_form_id_number", "aria-invalid") == "true"
    assert not Dossier.objects.exists()

    page.fill("#id_form_id_number", "027090001234")
    _choose_files(page, component, tmp_path)
    page.click("button[value=submit]")
    page.wait_for_url("**/ho-so-cua-toi/*/bien-nhan/")
    dossier = Dossier.objects.get()
    assert dossier.applicant == w.citizen and dossier.status == Status.SUBMITTED
    assert dossier.code in page.inner_text("main")
    assert dossier.files.get().sha256
    qr_address = page.get_attribute(f"main a[href$='/tra-cuu/{dossier.code}/']", "href")
    assert qr_address.startswith(base)

    # Pay the fee through the fake gateway: only its signed callback opens the fee gate.
    page.click("main form button.primary")
    page.wait_for_selector("#order")
    page.click("#pay")
    page.wait_for_selector("#payment-status[data-status=paid]")
    dossier.refresh_from_db()
    assert dossier.fee_paid_at is not None

    # The one-stop officer receives it in the back office.
    page.context.clear_cookies()
    staff_sign_in(page, base, w.desk_officer)
    page.goto(f"{base}/noi-bo/ho-so/{dossier.public_id}/")
    page.click("#action-receive button[type=submit]")
    page.wait_for_selector("#status[data-status=processing]")
    staff_sign_out(page)
    dossier = _off_the_loop(_settle, w, Dossier.objects.get(pk=dossier.pk))
    assert dossier.status == Status.RETURNED

    # Back as the citizen: the signed result, then the rating.
    page.context.clear_cookies()
    page.goto(f"{base}/ho-so-cua-toi/{dossier.public_id}/")
    page.click("#sso-button")
    page.get_by_label("Nguyễn Văn An — 027090001234").check()
    page.click("button[name=sign_in]")
    page.wait_for_url(f"**/ho-so-cua-toi/{dossier.public_id}/")
    result_href = page.get_attribute(f"a[href$='{dossier.public_id}/ket-qua/']", "href")
    result = page.context.request.get(base + result_href)
    assert result.headers["content-type"] == "application/pdf"
    verdict = _off_the_loop(verify_pdf, result.body())
    assert verdict.valid and verdict.timestamped, verdict.summary

    page.goto(f"{base}/danh-gia/{dossier.public_id}/")
    for name in page.eval_on_selector_all(
        "main form input[type=radio]", "els => [...new Set(els.map(e => e.name))]"
    ):
        page.check(f"main form input[name={name}][value='2']")
    page.fill("main form textarea[name=comment]", "Cán bộ hướng dẫn tận tình.")
    page.click("main form button.primary")
    page.wait_for_selector("#rating")
    assert Rating.objects.get(dossier=dossier).satisfaction == 2

    # Signed out, anyone can follow the dossier by code or by the QR address: no personal data.
    page.context.clear_cookies()
    page.goto(f"{base}/tra-cuu/")
    page.fill("#ma", dossier.code)
    page.keyboard.press("Enter")
    page.wait_for_selector("#lookup-result")
    assert page.inner_text("#status") == "Đã trả kết quả"
    assert "Nguyễn Văn An" not in page.inner_text("main")
    page.goto(qr_address)
    page.wait_for_selector("#lookup-result")
    assert dossier.code in page.inner_text("main")
    assert "027090001234" not in page.content()
