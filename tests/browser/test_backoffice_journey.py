"""A one-stop officer signs in with both factors, receives a paper dossier at the desk, and
the dossier goes through its steps to its result (SPEC §3 items 10–15)."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.dossiers.models import Dossier, Status

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def sign_in(page, base, user):
    user.set_password("Mật-khẩu-dài-2026")
    user.save()
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "a"})
    # A code is accepted once; signing in again within 30 s would reuse it.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    page.goto(f"{base}/noi-bo/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "Mật-khẩu-dài-2026")
    page.click("button[type=submit]")
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("#id_token", f"{code:06d}")
    page.click("button[type=submit]")
    page.wait_for_selector("#queue-to_receive")


def sign_out(page):
    page.click("header button[type=submit]")
    page.wait_for_selector("#id_username")


@pytest.mark.django_db(transaction=True)
def test_desk_reception_then_processing(live_server, page, world, tmp_path):
    w = world
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(PDF)
    sign_in(page, live_server.url, w.desk_officer)
    page.click("header a[href='/noi-bo/tiep-nhan/']")
    page.click("a[href='/noi-bo/tiep-nhan/1.000001/']")
    page.fill("#id_identifier", "027199001111")
    page.fill("#id_full_name", "Lê Thị Cúc")
    page.select_option("#id_agency", str(w.department.pk))
    page.fill("#id_form_full_name", "Lê Thị Cúc")
    page.fill("#id_form_id_number", "12")  # wrong: the page says so and keeps the rest
    component = w.permit.components.get()
    page.set_input_files(f"#id_component_{component.pk}", str(scan))
    page.click("main form button[type=submit]")
    page.wait_for_selector(".messagelist, .errorlist, #status")
    assert not Dossier.objects.exists()
    page.fill("#id_form_id_number", "027199001111")
    page.set_input_files(f"#id_component_{component.pk}", str(scan))
    page.click("main form button[type=submit]")
    page.wait_for_selector("#status[data-status=processing]")
    dossier = Dossier.objects.get()
    assert dossier.code in page.inner_text("h1")
    receipt = page.context.request.get(
        live_server.url + page.get_attribute("#sheets a[href$='phieu-hen.pdf']", "href")
    )
    assert receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF")
    sign_out(page)

    for officer in (w.specialist, w.unit_leader, w.leader):
        sign_in(page, live_server.url, officer)
        page.goto(f"{live_server.url}/noi-bo/ho-so/{dossier.public_id}/")
        page.click("#action-forward button")
        page.wait_for_selector(".messages .success")
        sign_out(page)
    dossier.refresh_from_db()
    assert dossier.current_step.role == "clerk"
    assert dossier.status == Status.PROCESSING
    rows = dossier.steps.filter(state="done").count()
    assert rows == 4


def open_dossier(page, base, dossier):
    page.goto(f"{base}/noi-bo/ho-so/{dossier.public_id}/")


def press(page, form_id):
    page.click(f"#{form_id} button[type=submit]")
    page.wait_for_selector(".messages li")
    assert page.locator(".messages .error").count() == 0, page.inner_text(".messages")


@pytest.mark.django_db(transaction=True)
def test_supplement_extension_and_signed_result_returned_by_post(live_server, page, world):
    from datetime import timedelta

    from django.utils import timezone
    from fpdf import FPDF

    from motcua.dossiers import services

    w = world
    base = live_server.url
    dossier = services.receive(
        services.submit(
            services.create_draft(w.permit, applicant=w.citizen, form_data=dict(w.form)), w.citizen
        ),
        w.desk_officer,
    )

    sign_in(page, base, w.specialist)  # supplement asked during processing
    open_dossier(page, base, dossier)
    page.fill("#action-request_supplement textarea[name=items]", "Bản sao giấy chứng nhận")
    page.fill("#action-request_supplement textarea[name=reason]", "Bổ sung bản sao có chứng thực")
    press(page, "action-request_supplement")
    assert page.get_attribute("#status", "data-status") == "awaiting_supplement"
    sign_out(page)

    sign_in(page, base, w.desk_officer)  # the applicant brings it to the desk
    open_dossier(page, base, dossier)
    press(page, "action-resubmit")
    page.fill("#payment-form input[name=reference]", "BL-000123")
    press(page, "payment-form")
    sign_out(page)
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and dossier.fee_paid_at is not None

    sign_in(page, base, w.leader)  # an extension with an apology
    open_dossier(page, base, dossier)
    new_date = timezone.localtime(dossier.due_at) + timedelta(days=3)
    page.fill("#action-extend input[name=new_due_at]", new_date.strftime("%d/%m/%Y %H:%M"))
    page.fill("#action-extend textarea[name=reason]", "Xin lỗi ông/bà vì cần thêm thời gian")
    press(page, "action-extend")
    assert page.locator("#sheets a[href$='phieu-xin-loi.pdf']").count() == 1
    sign_out(page)

    for officer in (w.specialist, w.unit_leader, w.leader):
        sign_in(page, base, officer)
        open_dossier(page, base, dossier)
        press(page, "action-forward")
        sign_out(page)

    sign_in(page, base, w.leader)  # the head signs the result
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Giay phep")
    open_dossier(page, base, dossier)
    page.set_input_files(
        "#result-form input[type=file]",
        files=[
            {"name": "giay-phep.pdf", "mimeType": "application/pdf", "buffer": bytes(pdf.output())}
        ],
    )
    page.check("#result-form input[name=sign]")
    press(page, "result-form")
    assert "Chữ ký hợp lệ" in page.inner_text("#result")
    sign_out(page)

    sign_in(page, base, w.clerk)
    open_dossier(page, base, dossier)
    press(page, "action-complete")
    sign_out(page)

    sign_in(page, base, w.desk_officer)  # returned by post
    open_dossier(page, base, dossier)
    page.select_option("#action-return_result select[name=method]", "post")
    page.fill("#action-return_result input[name=tracking_number]", "EB123456789VN")
    press(page, "action-return_result")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    # Settled before its first appointment; Bắc Ninh does not count an extension as late.
    assert (dossier.extension_count, dossier.timeliness) == (1, "early")
    assert dossier.events.last().data["tracking_number"] == "EB123456789VN"
