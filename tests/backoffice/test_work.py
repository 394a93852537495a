"""Queues, the dossier page and staff actions through the back office (SPEC §3 items 10–15)."""

from django.urls import reverse

from motcua.dossiers.models import Status
from tests.dossiers.conftest import new_dossier, received


def act(client, dossier, action, data=None):
    return client.post(
        reverse("backoffice:act", args=[dossier.public_id, action]), data or {}, follow=True
    )


def test_dashboard_counts_the_queues(world, signed_in):
    new_dossier(world)
    received(world)
    client = signed_in(world.desk_officer)
    page = client.get("/noi-bo/").content.decode()
    assert 'id="queue-to_receive"><strong>1</strong>' in page
    specialist = signed_in(world.specialist)
    page = specialist.get("/noi-bo/").content.decode()
    assert 'id="queue-to_process"><strong>1</strong>' in page


def test_queue_search_by_code_and_id_number(world, signed_in):
    mine = new_dossier(world)
    client = signed_in(world.desk_officer)
    page = client.get("/noi-bo/hang-doi/to_receive/", {"q": mine.code}).content.decode()
    assert mine.code in page
    page = client.get("/noi-bo/hang-doi/to_receive/", {"q": "027090001234"}).content.decode()
    assert mine.code in page
    page = client.get("/noi-bo/hang-doi/to_receive/", {"q": "999999999999"}).content.decode()
    assert mine.code not in page
    assert client.get("/noi-bo/hang-doi/nowhere/").status_code == 404


def test_reception_and_processing_through_the_pages(world, signed_in):
    dossier = new_dossier(world)
    desk = signed_in(world.desk_officer)
    page = desk.get(reverse("backoffice:dossier", args=[dossier.public_id])).content.decode()
    assert 'id="action-receive"' in page and 'id="action-forward"' not in page
    act(desk, dossier, "receive")
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING

    specialist = signed_in(world.specialist)
    act(specialist, dossier, "claim")
    act(specialist, dossier, "forward")
    dossier.refresh_from_db()
    assert dossier.current_step.order == 3
    response = act(signed_in(world.unit_leader), dossier, "send_back", {"reason": ""})
    assert "Lý do" in response.content.decode() or "Reasons" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.current_step.order == 3  # refused: nothing changed


def test_refusals_are_shown_and_change_nothing(world, signed_in):
    dossier = received(world)
    leader = signed_in(world.leader)
    response = act(
        leader, dossier, "extend", {"new_due_at": "01/01/2027 10:00", "reason": "Xin lỗi"}
    )
    assert 'class="error"' in response.content.decode()  # notice period long past
    dossier.refresh_from_db()
    assert dossier.extension_count == 0


def test_other_agencies_and_monitors(world, signed_in):
    dossier = received(world)
    url = reverse("backoffice:dossier", args=[dossier.public_id])
    assert signed_in(world.commune_officer).get(url).status_code == 404
    monitor = signed_in(world.monitor)
    page = monitor.get(url).content.decode()
    assert dossier.code in page and 'class="action"' not in page  # read-only
    act(monitor, dossier, "forward")
    dossier.refresh_from_db()
    assert dossier.current_step.order == 2


def test_unverified_staff_are_asked_for_the_second_factor(world, client):
    client.force_login(world.desk_officer)
    response = client.get("/noi-bo/")
    assert response.status_code == 302 and response.url.startswith("/noi-bo/xac-thuc/")


def test_the_head_signs_the_result_from_the_dossier_page(world, signed_in):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.dossiers.test_results import a_pdf, ready

    dossier = ready(world)
    leader = signed_in(world.leader)
    upload = SimpleUploadedFile("giay-phep.pdf", a_pdf(), content_type="application/pdf")
    response = leader.post(
        reverse("backoffice:upload_result", args=[dossier.public_id]),
        {"file": upload, "sign": "on"},
        follow=True,
    )
    assert "Chữ ký hợp lệ" in response.content.decode()
    download = leader.get(reverse("backoffice:result", args=[dossier.public_id]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert (
        signed_in(world.commune_officer)
        .get(reverse("backoffice:result", args=[dossier.public_id]))
        .status_code
        == 404
    )


def test_official_sheets_are_served_as_pdf(world, signed_in):
    from io import BytesIO

    from pypdf import PdfReader

    dossier = received(world)
    desk = signed_in(world.desk_officer)
    page = desk.get(reverse("backoffice:dossier", args=[dossier.public_id])).content.decode()
    assert "phieu-hen.pdf" in page and "phieu-tu-choi.pdf" not in page
    response = desk.get(reverse("backoffice:sheet", args=[dossier.public_id, "phieu-hen"]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)
    assert dossier.code in text and "Nguyễn Văn An" in text
    missing = desk.get(reverse("backoffice:sheet", args=[dossier.public_id, "phieu-xin-loi"]))
    assert missing.status_code == 404
    other = signed_in(world.commune_officer)
    assert (
        other.get(reverse("backoffice:sheet", args=[dossier.public_id, "phieu-hen"])).status_code
        == 404
    )
