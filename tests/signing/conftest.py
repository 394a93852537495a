import pytest
from fpdf import FPDF

from motcua.catalogue.models import Agency

TEXT = b"MotCua test result"


@pytest.fixture
def agency(db):
    return Agency.objects.create(code="000.00.15.H06", name="Sở Tư pháp", level="department")


@pytest.fixture(scope="session")
def pdf_bytes():
    """A one-page PDF (ASCII text: the core fonts have no Vietnamese glyphs)."""
    pdf = FPDF()
    pdf.set_compression(False)  # the text stays findable, for the tampering tests
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text=TEXT.decode())
    return bytes(pdf.output())
