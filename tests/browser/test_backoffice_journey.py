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
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
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
