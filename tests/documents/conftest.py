"""The dossier world of the engine's tests, and reading PDFs back."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from tests.dossiers.conftest import world  # noqa: F401


@pytest.fixture(autouse=True)
def bac_ninh(settings):
    settings.MOTCUA_PROFILE = "bac-ninh"


def read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(BytesIO(data))


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in read(data).pages)
