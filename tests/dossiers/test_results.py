"""Results: signed by the head of the agency (PAdES), checked when uploaded, returned at the
desk, by post or online (SPEC §2 "Results", §3 items 13, 15)."""

import pytest
from fpdf import FPDF

from motcua.dossiers import results, services
from motcua.dossiers.errors import ActionForbidden, RuleViolation
from motcua.signing.signing import verify_pdf

from .conftest import received


def a_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Giay phep")
    return bytes(pdf.output())


def ready(w):
    dossier = received(w)
    for officer in (w.specialist, w.unit_leader, w.leader):
        dossier = services.forward(dossier, officer)
    services.record_payment(dossier, amount=100_000, reference="x")
    return services.complete(dossier, w.clerk)


def test_the_head_signs_the_result_with_the_agencys_key(world):
    w = world
    dossier = ready(w)
    result = results.attach_result(dossier, "giay-phep.pdf", a_pdf(), by=w.leader, sign=True)
    assert result.signed
    verdict = verify_pdf(result.file.read())
    assert verdict.valid and "Sở Tư pháp" in verdict.signer


def test_an_unsigned_upload_is_recorded_as_such(world):
    w = world
    result = results.attach_result(ready(w), "ket-qua.pdf", a_pdf(), by=w.clerk, sign=False)
    assert not result.signed and result.signature_summary == "Không có chữ ký số"


def test_only_the_head_signs_and_only_pdfs(world):
    w = world
    dossier = ready(w)
    with pytest.raises(ActionForbidden):
        results.attach_result(dossier, "a.pdf", a_pdf(), by=w.clerk, sign=True)
    with pytest.raises(ActionForbidden):
        results.attach_result(dossier, "a.pdf", a_pdf(), by=w.commune_chair, sign=True)
    with pytest.raises(RuleViolation) as error:
        results.attach_result(dossier, "a.pdf", b"GIF89a", by=w.leader, sign=True)
    assert error.value.code == "file_type"
    assert not hasattr(dossier, "result")


def test_return_by_post_records_the_tracking_number(world):
    """A number typed by the officer is kept; without one the shipment is booked, which needs
    an address (the world's e-form has none)."""
    w = world
    dossier = ready(w)
    with pytest.raises(RuleViolation) as error:
        services.return_result(dossier, w.desk_officer, method="post")
    assert error.value.code == "recipient_incomplete"
    dossier = services.return_result(
        dossier, w.desk_officer, method="post", tracking_number="EB123456789VN"
    )
    assert dossier.events.last().data == {"method": "post", "tracking_number": "EB123456789VN"}


def test_online_return_needs_the_electronic_result(world):
    w = world
    dossier = ready(w)
    with pytest.raises(RuleViolation) as error:
        services.return_result(dossier, w.desk_officer, method="online")
    assert error.value.code == "no_result"
    results.attach_result(dossier, "giay-phep.pdf", a_pdf(), by=w.leader, sign=True)
    assert services.return_result(dossier, w.desk_officer, method="online").status == "returned"
