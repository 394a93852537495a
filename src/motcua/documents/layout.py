"""The one layout every official sheet is drawn with, in either form set (``form_sets``): form
number and legal basis, issuing agency and national heading, number, place and date, title,
body, signatures, and a footer with the dossier code and its lookup QR code. A sheet is data
(``Sheet``); ``render`` draws it. Text is set in the vendored DejaVu Serif, which carries
every Vietnamese letter."""

import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

from fpdf import FPDF, FontFace

from .formatting import place_and_date
from .qr import qr_png

FONT = "DejaVuSerif"
FONT_FILES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf"}
FONT_DIR = Path(__file__).with_name("fonts")

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

BODY_PT = 12.5
TABLE_PT = 9
PT_MM = 0.3528  # one point in millimetres
QR_MM = 20

# fpdf2 subsets the fonts through fontTools, which logs every table at INFO.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Text:
    """A paragraph; ``style`` is "", "B" or "I"; ``align`` "L", "C" or "R"."""

    text: str
    style: str = ""
    align: str = "L"


@dataclass(frozen=True)
class Numbered:
    """A numbered list: 1. …, 2. …"""

    items: Sequence[str]


@dataclass(frozen=True)
class Table:
    """A grid whose heading row repeats on every page; ``widths`` are relative."""

    headings: Sequence[str]
    widths: Sequence[float]
    rows: Sequence[Sequence[str]]


Block = Text | Numbered | Table


@dataclass(frozen=True)
class Signer:
    title: str
    note: str = "(Ký và ghi rõ họ tên)"
    name: str = ""


@dataclass(frozen=True)
class Sheet:
    form: str  # "Mẫu số 01"
    agency: str  # the issuing agency
    parent: str  # its governing agency (cơ quan chủ quản), or ""
    place: str
    issued_on: date | datetime
    title: str
    number: str = ""  # printed as "Số: …"
    subtitles: Sequence[str] = ()
    body: Sequence[Block] = ()
    signers: Sequence[Signer] = ()
    code: str = ""  # the dossier code in the footer
    url: str = ""  # its lookup page, printed and encoded in the QR code
    landscape: bool = False
    basis: str = ""  # the circular the form comes from, printed under its number


def render(sheet: Sheet) -> bytes:
    """The sheet as PDF bytes."""
    pdf = _SheetPdf(sheet)
    pdf.add_page()
    _heading(pdf, sheet)
    _title(pdf, sheet)
    for block in sheet.body:
        _BLOCKS[type(block)](pdf, block)
    _signatures(pdf, sheet.signers)
    return bytes(pdf.output())


def clean(text: str) -> str:
    """Composed Unicode (the font's precomposed Vietnamese letters), plain newlines."""
    return unicodedata.normalize("NFC", str(text)).replace("\r\n", "\n").replace("\r", "\n")


def _line_height(size: float) -> float:
    return size * PT_MM * 1.4


class _SheetPdf(FPDF):
    def __init__(self, sheet: Sheet):
        super().__init__(orientation="L" if sheet.landscape else "P", format="A4")
        self.sheet = sheet
        for style, file in FONT_FILES.items():
            self.add_font(FONT, style, FONT_DIR / file)
        self.set_margins(left=25, top=15, right=15)
        self.set_auto_page_break(True, margin=32 if sheet.code else 18)
        self.set_title(clean(sheet.title))
        self.set_subject(clean(f"{sheet.form} {sheet.basis}".strip()))
        self.set_author(clean(sheet.agency))
        self.set_creator("MotCua")
        self.set_lang("vi-VN")
        self.qr = qr_png(sheet.url) if sheet.url else None

    def footer(self):
        sheet = self.sheet
        self.set_font(FONT, "I", 8.5)
        page = f"Trang {self.page_no()}/{{nb}}"
        if not sheet.code:
            self.set_y(-13)
            self.cell(0, 5, page, align="C")
            return
        top = self.h - 29
        self.set_draw_color(120)
        self.line(self.l_margin, top, self.w - self.r_margin, top)
        text_width = self.epw - QR_MM - 4
        self.set_xy(self.l_margin, top + 2)
        self.set_font(FONT, "B", 9)
        self.multi_cell(text_width, 4.5, clean(f"Mã hồ sơ: {sheet.code}"), align="L")
        self.set_font(FONT, "", 8.5)
        self.set_x(self.l_margin)
        self.multi_cell(text_width, 4.5, clean(f"Tra cứu hồ sơ: {sheet.url}"), align="L")
        self.set_font(FONT, "I", 8.5)
        self.set_x(self.l_margin)
        self.multi_cell(text_width, 4.5, page, align="L")
        if self.qr:
            self.image(
                BytesIO(self.qr),
                x=self.w - self.r_margin - QR_MM,
                y=top + 1.5,
                w=QR_MM,
                h=QR_MM,
                alt_text=clean(f"Mã QR tra cứu hồ sơ {sheet.code}"),
            )


def _fitted_size(pdf: FPDF, text: str, style: str, size: float, width: float) -> float:
    """The largest size not above ``size`` at which ``text`` fits on one line."""
    while size > 7:
        pdf.set_font(FONT, style, size)
        if pdf.get_string_width(text) <= width - 2:
            break
        size -= 0.5
    return size


def _heading(pdf: FPDF, sheet: Sheet):
    """Above: form number and legal basis. Left: governing agency, issuing agency (bold),
    number. Right: the national heading and the place and date (ND 30/2020/ND-CP
    Appendix I)."""
    left = pdf.l_margin
    pdf.set_font(FONT, "I", 9)
    pdf.cell(0, 4, clean(sheet.form), align="R", new_x="LMARGIN", new_y="NEXT")
    if sheet.basis:
        pdf.set_font(FONT, "I", 7.5)
        pdf.cell(0, 3.5, clean(sheet.basis), align="R", new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y() + 1
    left_width = pdf.epw * (0.42 if not sheet.landscape else 0.4)
    right_width = pdf.epw - left_width

    pdf.set_xy(left, top)
    if sheet.parent:
        pdf.set_font(FONT, "", 11.5)
        pdf.multi_cell(left_width, 5.5, clean(sheet.parent.upper()), align="C")
        pdf.set_x(left)
    pdf.set_font(FONT, "B", 11.5)
    pdf.multi_cell(left_width, 5.5, clean(sheet.agency.upper()), align="C")
    _rule(pdf, left + left_width / 2, pdf.get_y() + 0.8, 24)
    pdf.set_xy(left, pdf.get_y() + 2.5)
    if sheet.number:
        number = clean(f"Số: {sheet.number}")
        _fitted_size(pdf, number, "", 11.5, left_width)
        pdf.multi_cell(left_width, 5.5, number, align="C")
    left_bottom = pdf.get_y()

    x = left + left_width
    pdf.set_xy(x, top)
    _fitted_size(pdf, NATION, "B", 11.5, right_width)
    pdf.cell(right_width, 5.5, NATION, align="C", new_x="LEFT", new_y="NEXT")
    size = _fitted_size(pdf, MOTTO, "B", 12.5, right_width)
    pdf.cell(right_width, _line_height(size), MOTTO, align="C", new_x="LEFT", new_y="NEXT")
    _rule(pdf, x + right_width / 2, pdf.get_y() + 0.3, pdf.get_string_width(MOTTO))
    pdf.set_xy(x, pdf.get_y() + 3)
    pdf.set_font(FONT, "I", 12)
    pdf.multi_cell(right_width, 6, clean(place_and_date(sheet.place, sheet.issued_on)), align="C")
    pdf.set_y(max(left_bottom, pdf.get_y()) + 6)


def _rule(pdf: FPDF, centre: float, y: float, width: float):
    pdf.set_draw_color(0)
    pdf.set_line_width(0.3)
    pdf.line(centre - width / 2, y, centre + width / 2, y)


def _title(pdf: FPDF, sheet: Sheet):
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 7, clean(sheet.title.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "I", 12)
    for line in sheet.subtitles:
        pdf.multi_cell(0, 6, clean(line), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _text(pdf: FPDF, block: Text):
    pdf.set_font(FONT, block.style, BODY_PT)
    pdf.multi_cell(
        0,
        _line_height(BODY_PT),
        clean(block.text),
        align=block.align,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(0.8)


def _numbered(pdf: FPDF, block: Numbered):
    pdf.set_font(FONT, "", BODY_PT)
    height = _line_height(BODY_PT)
    indent, label_width = 6, 9
    for number, item in enumerate(block.items, start=1):
        if pdf.will_page_break(height):
            pdf.add_page()
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(label_width, height, f"{number}.")
        pdf.multi_cell(
            pdf.epw - indent - label_width,
            height,
            clean(item),
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(0.8)


def _table(pdf: FPDF, block: Table):
    pdf.ln(1)
    pdf.set_font(FONT, "", TABLE_PT)
    with pdf.table(
        col_widths=tuple(block.widths),
        width=pdf.epw,
        headings_style=FontFace(emphasis="BOLD"),
        line_height=_line_height(TABLE_PT),
        text_align="LEFT",
        padding=1,
        repeat_headings=1,
    ) as table:
        for values in [block.headings, *block.rows]:
            row = table.row()
            for value in values:
                row.cell(clean(value))
    pdf.ln(3)


_BLOCKS = {Text: _text, Numbered: _numbered, Table: _table}


def _signatures(pdf: FPDF, signers: Sequence[Signer]):
    """Side by side; a single signer stands on the right (ND 30/2020/ND-CP)."""
    if not signers:
        return
    if pdf.will_page_break(45):
        pdf.add_page()
    pdf.ln(4)
    width = pdf.epw / max(len(signers), 2)
    first = pdf.l_margin + (pdf.epw - width * len(signers))
    top = pdf.get_y()
    for index, signer in enumerate(signers):
        x = first + index * width
        pdf.set_xy(x, top)
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(width, 6, clean(signer.title), align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_font(FONT, "I", 11)
        pdf.multi_cell(width, 5.5, clean(signer.note), align="C", new_x="LEFT", new_y="NEXT")
        if signer.name:
            pdf.set_xy(x, pdf.get_y() + 22)
            pdf.set_font(FONT, "B", 12)
            pdf.multi_cell(width, 6, clean(signer.name), align="C")
