"""The shared layout: vendored font, every Vietnamese letter, page flow, footer."""

import unicodedata
from datetime import date

from motcua.documents.layout import FONT_DIR, FONT_FILES, Numbered, Sheet, Text, render

from .conftest import read, text_of

#: The twelve vowels with their five tones, and đ.
LETTERS = "aàáảãạ ăằắẳẵặ âầấẩẫậ eèéẻẽẹ êềếểễệ iìíỉĩị oòóỏõọ ôồốổỗộ ơờớởỡợ uùúủũụ ưừứửữự yỳýỷỹỵ đ"


def sheet(**fields) -> Sheet:
    values = {
        "form": "Mẫu số 01",
        "agency": "Sở Tư pháp",
        "parent": "UBND tỉnh Bắc Ninh",
        "place": "Bắc Ninh",
        "issued_on": date(2026, 3, 2),
        "title": "Giấy thử",
    } | fields
    return Sheet(**values)


def test_the_font_ships_with_the_project_and_its_licence():
    for file in FONT_FILES.values():
        assert (FONT_DIR / file).stat().st_size > 100_000
    licence = (FONT_DIR / "LICENSE.txt").read_text()
    assert "Bitstream Vera Fonts Copyright" in licence and "Arev Fonts Copyright" in licence
    assert sum(f.stat().st_size for f in FONT_DIR.glob("*.ttf")) < 1_200_000


def test_every_vietnamese_letter_round_trips_in_every_style():
    body = [Text(line, style) for line in (LETTERS, LETTERS.upper()) for style in ("", "B", "I")]
    text = text_of(render(sheet(body=body)))
    printed = text.split("GIẤY THỬ", 1)[1]
    for group in (LETTERS + " " + LETTERS.upper()).split():
        assert printed.count(group) == 3, group
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "UBND TỈNH BẮC NINH" in text and "SỞ TƯ PHÁP" in text
    assert "Bắc Ninh, ngày 02 tháng 3 năm 2026" in text


def test_decomposed_input_is_printed_composed():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn An")
    assert decomposed != "Nguyễn Văn An"
    assert "Nguyễn Văn An" in text_of(render(sheet(body=[Text(decomposed)])))


def test_a_long_list_flows_onto_the_next_pages_in_order():
    items = [f"Giấy tờ số {n:03d}" for n in range(1, 81)]
    pdf = read(render(sheet(body=[Numbered(items)])))
    assert len(pdf.pages) >= 2
    text = "\n".join(page.extract_text() for page in pdf.pages)
    positions = [text.index(item) for item in items]
    assert positions == sorted(positions)
    assert f"Trang 2/{len(pdf.pages)}" in text


def test_a_sheet_without_a_dossier_has_no_qr_code():
    pdf = read(render(sheet()))
    assert not pdf.pages[0].images
    assert "Trang 1/1" in pdf.pages[0].extract_text()
