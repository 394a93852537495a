"""Mẫu 05 (control sheet) and Mẫu 06 (reception log) of Circular 01/2018/TT-VPCP: every row
survives the page breaks, and the heading row repeats on each page."""

import re
from datetime import date
from decimal import Decimal

from motcua.accounts.models import Role
from motcua.documents.sheets import control_sheet_pdf, received_between, reception_log_pdf
from motcua.dossiers import services
from tests.dossiers.conftest import _procedure, at, new_dossier, received

from .conftest import read, text_of

STEPS = 40


def long_process_dossier(w):
    """A dossier whose process has 40 steps: reception, one 8-hour step, 38 half-hour steps;
    the first three are finished early, on time and late."""
    procedure = _procedure(
        w.department,
        days=5,
        online_level="full",
        fee=0,
        code="1.000040",
        steps=[(Role.RECEPTION_OFFICER, 1, None), (Role.SPECIALIST, 8, w.unit)]
        + [(Role.SPECIALIST, Decimal("0.5"), w.unit)] * (STEPS - 2),
    )
    dossier = services.receive(
        new_dossier(w, procedure), w.desk_officer, at=at("2026-03-02T10:00:00+07:00")
    )
    for moment in ("10:30", "11:00", "13:30"):  # step 2 early, step 3 on time, step 4 late
        dossier = services.forward(dossier, w.specialist, at=at(f"2026-03-02T{moment}:00+07:00"))
    return dossier


def test_05_control_sheet_of_forty_steps(world):
    dossier = long_process_dossier(world)
    data = control_sheet_pdf(dossier, issued_at=at("2026-03-02T14:00:00+07:00"))
    pdf = read(data)
    pages = [page.extract_text() for page in pdf.pages]
    assert len(pages) >= 2
    numbers = [int(n) for page in pages for n in re.findall(r"Bước (\d+)\b", page)]
    assert numbers == list(range(1, STEPS + 1))
    for page, text in zip(pdf.pages, pages, strict=True):
        assert "Bước xử lý" in text and "Hạn xử lý" in text  # repeated headings
        assert len(page.images) == 1  # the lookup QR code in every page's footer
    text = "\n".join(pages)
    for expected in [
        "Mẫu số 05",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "Bắc Ninh, ngày 02 tháng 3 năm 2026",
        "Mã hồ sơ: 000.00.15.H06-260302-0001",
        "Cơ quan (bộ phận) giải quyết hồ sơ: Sở Tư pháp",
        "Người nộp hồ sơ: Nguyễn Văn An",
        "Phòng Hành chính tư pháp",
        "chuyenvien",
        "Sớm hạn",
        "Đúng hạn",
        "Quá hạn",
        "Đang xử lý",
    ]:
        assert expected in text
    assert text.count("Đang xử lý") == 1


def test_05_control_sheet_of_a_settled_hand_off(world):
    """The police's step names them as the partner agency (HG 7.1)."""
    w = world
    dossier = received(w, w.birth)
    for officer in (w.commune_specialist, w.police_officer):
        dossier = services.forward(dossier, officer, at=at("2026-03-02T14:00:00+07:00"))
    dossier = services.complete(dossier, w.commune_chair, at=at("2026-03-02T15:00:00+07:00"))
    text = text_of(control_sheet_pdf(dossier, base_url="https://dvc.example.vn"))
    assert "UBND PHƯỜNG KINH BẮC" in text
    assert "Cơ quan phối hợp giải quyết hồ sơ: Công an tỉnh" in text
    assert "Kết quả giải quyết hồ sơ: Sớm hạn" in text
    assert "https://dvc.example.vn/tra-cuu/H06.01.01-260302-0001" in text


def test_06_reception_log_of_forty_dossiers(world):
    w = world
    for _ in range(STEPS):
        received(w)
    received(w, submitted="2026-03-03T08:00:00+07:00", receive="2026-03-03T08:30:00+07:00")
    dossiers = list(received_between(w.department, date(2026, 3, 2), date(2026, 3, 2)))
    assert len(dossiers) == STEPS
    data = reception_log_pdf(
        w.department,
        dossiers,
        date(2026, 3, 2),
        date(2026, 3, 2),
        issued_at=at("2026-03-04T08:00:00+07:00"),
    )
    pdf = read(data)
    assert len(pdf.pages) >= 2
    assert pdf.pages[0].mediabox.width > pdf.pages[0].mediabox.height  # landscape
    pages = [page.extract_text() for page in pdf.pages]
    codes = [c for page in pages for c in re.findall(r"000\.00\.15\.H06-\d{6}-\d{4}", page)]
    assert codes == [f"000.00.15.H06-260302-{n:04d}" for n in range(1, STEPS + 1)]
    for page in pages:
        assert "Mã hồ sơ" in page and "Hẹn trả kết quả" in page
    assert not any(page.images for page in pdf.pages)  # no single dossier to look up
    text = "\n".join(pages)
    for expected in [
        "Mẫu số 06",
        "SỔ THEO DÕI HỒ SƠ",
        "Từ ngày 02/03/2026 đến ngày 02/03/2026",
        "Số hồ sơ: 40",
        "Bắc Ninh, ngày 04 tháng 3 năm 2026",
        "Nguyễn Văn An",
        "Đang giải quyết",
    ]:
        assert expected in text
    assert "260303" not in text
