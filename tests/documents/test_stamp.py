"""The visible QR stamp on desk scans (Circular 01/2023/TT-VPCP): the stamped copy decodes
back to the scan's payload, the officer's original and its checksum stay as they were, and
only scans are stamped."""

import hashlib
import json
import re
from io import BytesIO

import pytest
import zxingcpp
from django.urls import reverse
from fpdf import FPDF
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter

from motcua.catalogue.models import Component
from motcua.documents.stamp import PDF_MARGIN_PT, PDF_SIZE_PT, StampError, stamp_scan
from motcua.dossiers import files
from tests.dossiers.conftest import new_dossier

PAYLOAD = json.dumps(
    {"ma_ho_so": "000.00.15.H06-260302-0001", "ten_giay_to": "Giấy khai sinh"},
    ensure_ascii=False,
)


def scanned_pdf(pages: int = 2) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=14)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.cell(0, 10, f"Scanned page {number}")
    return bytes(pdf.output())


def scanned_picture(fmt: str, size=(1240, 1754)) -> bytes:
    """A grey 'paper' with dark lines of 'text' down to its bottom edge."""
    picture = Image.new("RGB", size, (235, 235, 230))
    draw = ImageDraw.Draw(picture)
    for y in range(40, size[1], 30):
        draw.rectangle((60, y, size[0] - 60, y + 8), fill=(40, 40, 40))
    buffer = BytesIO()
    picture.save(buffer, fmt)
    return buffer.getvalue()


def decode(picture: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(picture)]


def stamp_of(data: bytes) -> Image.Image:
    """The single image on page 1 of a stamped PDF, enlarged for the decoder."""
    (image,) = PdfReader(BytesIO(data)).pages[0].images
    code = image.image.convert("L")
    return code.resize((code.width * 8, code.height * 8), Image.NEAREST)


@pytest.fixture
def photo(world):
    return Component.objects.create(
        procedure=world.permit, order=2, name="Ảnh chân dung", formats=["jpg", "jpeg", "png"]
    )


def test_a_scanned_pdf_gets_a_stamped_copy_on_page_one(world):
    dossier = new_dossier(world)
    original = scanned_pdf()
    record = files.attach(
        dossier,
        world.permit.components.get(name="Tờ khai"),
        "to-khai.pdf",
        original,
        by=world.desk_officer,
        scanned=True,
    )
    record.refresh_from_db()
    assert record.sha256 == hashlib.sha256(original).hexdigest()
    assert record.file.read() == original
    stamped = record.stamped_file.read()
    assert record.stamped_sha256 == hashlib.sha256(stamped).hexdigest() != record.sha256
    assert stamped.startswith(original)  # an incremental update: the original bytes stay

    assert decode(stamp_of(stamped)) == [record.scan_qr]
    assert json.loads(record.scan_qr)["ma_ho_so"] == dossier.code
    pages = PdfReader(BytesIO(stamped)).pages
    assert "Scanned page 1" in pages[0].extract_text()
    assert not pages[1].images  # only the first page is stamped
    placed = re.search(rb"1 0 0 1 (\S+) (\S+) cm /Stamp", pages[0].get_contents().get_data())
    right = float(pages[0].mediabox.right)
    assert float(placed[1]) == pytest.approx(right - PDF_MARGIN_PT - PDF_SIZE_PT, abs=0.01)
    assert float(placed[2]) == PDF_MARGIN_PT  # the bottom right corner


@pytest.mark.parametrize(("fmt", "name"), [("JPEG", "anh.jpg"), ("PNG", "anh.png")])
def test_a_scanned_picture_gets_the_qr_in_its_corner(world, photo, fmt, name):
    original = scanned_picture(fmt)
    record = files.attach(
        new_dossier(world), photo, name, original, by=world.desk_officer, scanned=True
    )
    assert record.file.read() == original
    assert record.sha256 == hashlib.sha256(original).hexdigest()
    stamped_bytes = record.stamped_file.read()
    assert record.stamped_sha256 == hashlib.sha256(stamped_bytes).hexdigest()
    stamped = Image.open(BytesIO(stamped_bytes))
    assert stamped.format == fmt
    assert decode(stamped) == [record.scan_qr]

    before = Image.open(BytesIO(original)).convert("L")
    after = stamped.convert("L")
    assert after.size == before.size
    width, height = before.size
    corner = (width * 3 // 4, height * 3 // 4, width, height)
    away = (0, 0, width // 2, height // 2)
    assert before.crop(corner).tobytes() != after.crop(corner).tobytes()
    if fmt == "PNG":  # lossless: nothing but the corner changed
        assert before.crop(away).tobytes() == after.crop(away).tobytes()
    (result,) = zxingcpp.read_barcodes(stamped)
    corner_of_code = result.position.top_left
    assert corner_of_code.x > width * 3 / 4 and corner_of_code.y > height * 3 / 4


def test_uploads_of_the_applicant_are_not_stamped(world):
    original = scanned_pdf()
    record = files.attach(
        new_dossier(world), world.permit.components.get(), "to-khai.pdf", original, by=world.citizen
    )
    assert not record.scanned and record.scan_qr == ""
    assert not record.stamped_file and record.stamped_sha256 == ""


def test_an_unreadable_scan_keeps_only_its_original(world):
    broken = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    record = files.attach(
        new_dossier(world),
        world.permit.components.get(),
        "scan.pdf",
        broken,
        by=world.desk_officer,
        scanned=True,
    )
    assert record.file.read() == broken and record.scan_qr
    assert not record.stamped_file and record.stamped_sha256 == ""


def test_what_cannot_carry_a_stamp():
    writer = PdfWriter(clone_from=BytesIO(scanned_pdf(1)))
    writer.encrypt("mat-khau")
    encrypted = BytesIO()
    writer.write(encrypted)
    with pytest.raises(StampError, match="encrypted"):
        stamp_scan(encrypted.getvalue(), "pdf", PAYLOAD)
    with pytest.raises(StampError, match="too small"):
        stamp_scan(scanned_picture("PNG", size=(120, 90)), "png", PAYLOAD)
    with pytest.raises(StampError):
        stamp_scan(b"PK\x03\x04", "docx", PAYLOAD)


def test_the_dossier_page_offers_the_stamped_copy_and_the_original(world, signed_in):
    dossier = new_dossier(world)
    original = scanned_pdf()
    record = files.attach(
        dossier,
        world.permit.components.get(),
        "to-khai.pdf",
        original,
        by=world.desk_officer,
        scanned=True,
    )
    client = signed_in(world.desk_officer)
    page = client.get(reverse("backoffice:dossier", args=[dossier.public_id])).content.decode()
    url = reverse("backoffice:file", args=[dossier.public_id, record.pk])
    assert f'href="{url}"' in page and f'href="{url}?ban-goc=1"' in page
    assert "số hóa tại Bộ phận Một cửa" in page
    assert "có dấu QR" in page and "bản gốc không có dấu QR" in page

    response = client.get(url)
    stamped = b"".join(response.streaming_content)
    assert hashlib.sha256(stamped).hexdigest() == record.stamped_sha256
    assert 'filename="to-khai-qr.pdf"' in response["Content-Disposition"]
    response = client.get(url, {"ban-goc": "1"})
    assert b"".join(response.streaming_content) == original
    assert 'filename="to-khai.pdf"' in response["Content-Disposition"]


def test_a_document_of_an_unseen_dossier_is_not_found(world, signed_in):
    dossier = new_dossier(world)
    record = files.attach(
        dossier, world.permit.components.get(), "to-khai.pdf", scanned_pdf(), by=world.citizen
    )
    client = signed_in(world.commune_officer)
    url = reverse("backoffice:file", args=[dossier.public_id, record.pk])
    assert client.get(url).status_code == 404
