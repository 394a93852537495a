"""An inter-agency dossier in the browser (SPEC §2 "Inter-agency", §3 items 10, 13, 15): the
commune's desk receives it, the commune's specialist takes the step and hands the dossier to
the provincial police, whose specialist finds it in their own queue and sends it back, the
commune chair settles it, and the desk posts the result through the public postal service.
The commune stays answerable for the whole (HG 7.1). Each step is checked on the page and in
the database."""

from io import BytesIO

import pytest
from django.utils import timezone
from pypdf import PdfReader

from motcua.dossiers.models import DossierStep, Status
from motcua.postal.models import Shipment
from tests.dossiers.conftest import new_dossier

from .test_backoffice_journey import press, sign_in, sign_out

DONE, ACTIVE, PENDING = DossierStep.State.DONE, DossierStep.State.ACTIVE, DossierStep.State.PENDING


def steps_of(dossier):
    """(order, agency, state, officer) of each step, from the database."""
    return [
        (s.order, s.agency.name, s.state, s.done_by.username if s.done_by else None)
        for s in dossier.steps.select_related("agency", "done_by").order_by("order")
    ]


def control_sheet(page):
    """The control sheet's rows as shown: (order, unit, officer, done?) and the current row."""
    rows = page.locator("#control-sheet tbody tr")
    shown = []
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td").all_inner_texts()
        shown.append((int(cells[0]), cells[2], cells[3], bool(cells[6].strip())))
    current = page.locator("#control-sheet tr[aria-current=step] td").first
    return shown, (int(current.inner_text()) if current.count() else None)


def from_queue(page, key, dossier):
    """Open the dossier from one of the officer's queues on the dashboard."""
    page.click(f"#queue-{key}")
    page.click(f"main table a:text-is('{dossier.code}')")
    page.wait_for_selector("#status")


def queue_count(page, key) -> int:
    page.click("header nav a[href='/noi-bo/']")
    return int(page.inner_text(f"#queue-{key} strong"))


@pytest.mark.django_db(transaction=True)
def test_hand_off_to_the_police_and_back(live_server, page, world, settings):
    settings.MOTCUA_POSTAL_SERVICE = "fake"
    w = world
    base = live_server.url
    commune, police = w.commune.name, w.police.name
    dossier = new_dossier(w, w.birth, submitted=timezone.now().isoformat())

    # 1. The commune's desk receives the online dossier: the reception step is done.
    sign_in(page, base, w.commune_officer)
    assert queue_count(page, "to_receive") == 1
    from_queue(page, "to_receive", dossier)
    press(page, "action-receive")
    assert page.get_attribute("#status", "data-status") == "processing"
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert steps_of(dossier) == [
        (1, commune, DONE, "xa.tiepnhan"),
        (2, commune, ACTIVE, None),
        (3, police, PENDING, None),
        (4, commune, PENDING, None),
    ]
    assert control_sheet(page) == (
        [
            (1, commune, "xa.tiepnhan", True),
            (2, commune, "", False),
            (3, police, "", False),
            (4, commune, "", False),
        ],
        2,
    )
    sign_out(page)

    # 2. The commune's specialist takes the step and hands the dossier to the police.
    sign_in(page, base, w.commune_specialist)
    assert queue_count(page, "to_process") == 1
    from_queue(page, "to_process", dossier)
    press(page, "action-claim")
    assert control_sheet(page)[0][1][2] == "xa.congchuc"
    assert dossier.steps.get(order=2).assignee == w.commune_specialist
    press(page, "action-forward")
    dossier.refresh_from_db()
    step = dossier.current_step
    assert (step.order, step.agency, step.process_step.is_handoff) == (3, w.police, True)
    assert dossier.agency == w.commune  # the commune stays answerable (HG 7.1)
    shown, current = control_sheet(page)
    assert current == 3 and shown[2][1] == police
    # Out of the commune specialist's hands: forwarding again is refused, and the dossier
    # has left their queue.
    page.click("#action-forward button[type=submit]")
    page.wait_for_selector(".messages .error")
    dossier.refresh_from_db()
    assert dossier.current_step.order == 3
    assert queue_count(page, "to_process") == 0
    sign_out(page)

    # 3. The police specialist finds it in their own queue, takes it and sends it on.
    sign_in(page, base, w.police_officer)
    assert queue_count(page, "to_process") == 1
    from_queue(page, "to_process", dossier)
    assert page.inner_text("#control-sheet tr[aria-current=step] td:nth-child(3)") == police
    press(page, "action-claim")
    press(page, "action-forward")
    dossier.refresh_from_db()
    assert (dossier.current_step.order, dossier.current_step.agency) == (4, w.commune)
    assert dossier.steps.get(order=3).done_by == w.police_officer
    assert queue_count(page, "to_process") == 0
    sign_out(page)

    # 4. The commune chair approves: the result is ready.
    sign_in(page, base, w.commune_chair)
    assert queue_count(page, "to_process") == 1
    from_queue(page, "to_process", dossier)
    press(page, "action-claim")
    press(page, "action-complete")
    assert page.get_attribute("#status", "data-status") == "result_ready"
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY and dossier.current_step is None
    assert steps_of(dossier) == [
        (1, commune, DONE, "xa.tiepnhan"),
        (2, commune, DONE, "xa.congchuc"),
        (3, police, DONE, "canbo.ca"),
        (4, commune, DONE, "xa.chutich"),
    ]
    assert control_sheet(page) == (
        [
            (1, commune, "xa.tiepnhan", True),
            (2, commune, "xa.congchuc", True),
            (3, police, "canbo.ca", True),
            (4, commune, "xa.chutich", True),
        ],
        None,
    )
    # The printed control sheet (form 05) names the partner agency and every officer.
    href = page.get_attribute("#sheets a[href$='phieu-kiem-soat.pdf']", "href")
    pdf = page.context.request.get(base + href)
    assert pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf.body())).pages)
    assert f"Cơ quan phối hợp giải quyết hồ sơ: {police}" in text
    cells = "".join(text.split())  # table cells wrap within words
    for officer in ("xa.tiepnhan", "xa.congchuc", "canbo.ca", "xa.chutich"):
        assert officer in cells
    sign_out(page)

    # 5. The desk checks the originals (VP 16.1) and posts the result through the public
    # postal service: booked after the return commits, its tracking number on the page.
    sign_in(page, base, w.commune_officer)
    assert queue_count(page, "to_return") == 1
    from_queue(page, "to_return", dossier)
    form = "#action-return_result"
    page.check(f"{form} input[name=originals_checked]")
    page.select_option(f"{form} select[name=method]", "post")
    page.fill(f"{form} input[name=recipient_address]", "Số 5 phố Lý Thái Tổ, phường Kinh Bắc")
    page.fill(f"{form} input[name=recipient_phone]", "0912345678")
    press(page, "action-return_result")
    assert page.get_attribute("#status", "data-status") == "returned"
    shipment = Shipment.objects.get(dossier=dossier)
    assert shipment.status == "booked" and shipment.recipient_name == "Nguyễn Văn An"
    page.reload()
    assert page.inner_text("#postal .tracking-number") == shipment.tracking_number
    assert page.inner_text("#postal .shipment-status") == "Đã nhận gửi"
