"""The small province with closed and open dossiers of March 2026, driven through the
dossier services."""

import io
import zipfile
from datetime import date

import pytest
from fpdf import FPDF

from motcua.dossiers import files, results, services
from tests.dossiers.conftest import at, new_dossier, received, world  # noqa: F401 — the shared province

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture(autouse=True)
def archive_urls(settings):
    settings.ROOT_URLCONF = "tests.archive.urls"


def a_pdf(text: str = "Giay phep") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def returned(w, *, day: int = 9):
    """A permit received on 2 March, with a desk scan, processed and returned on ``day``."""
    dossier = received(w)
    component = w.permit.components.get()
    files.attach(
        dossier, component, "Tờ khai.pdf", a_pdf("To khai"), by=w.desk_officer, scanned=True
    )
    for officer, when in ((w.specialist, 3), (w.unit_leader, 4), (w.leader, 5)):
        dossier = services.forward(dossier, officer, at=at(f"2026-03-0{when}T09:00:00+07:00"))
    services.record_payment(
        dossier, amount=100_000, reference="BL-01", at=at("2026-03-05T10:00:00+07:00")
    )
    dossier = services.complete(dossier, w.clerk, at=at("2026-03-06T09:00:00+07:00"))
    results.attach_result(dossier, "giay-phep.pdf", a_pdf(), by=w.leader, sign=False)
    return services.return_result(
        dossier, w.desk_officer, at=at(f"2026-03-{day:02d}T15:00:00+07:00")
    )


def withdrawn(w, *, when="2026-03-12T08:00:00+07:00"):
    return services.withdraw(received(w), w.citizen, reason="Không còn nhu cầu", at=at(when))


@pytest.fixture
def march(world):  # noqa: F811 — the imported fixture
    """Closed in March: one returned, one withdrawn, one refused; still open: one in
    processing; elsewhere: a commune dossier and a permit closed in April."""
    w = world
    w.returned = returned(w)
    w.withdrawn = withdrawn(w)
    w.refused = services.refuse(
        new_dossier(w, submitted="2026-03-16T09:00:00+07:00"),
        w.desk_officer,
        reason="Sai thẩm quyền",
        at=at("2026-03-16T10:00:00+07:00"),
    )
    w.open = received(w)
    w.commune_dossier = services.withdraw(
        received(w, w.birth), w.citizen, at=at("2026-03-10T08:00:00+07:00")
    )
    w.april = withdrawn(w, when="2026-04-01T08:00:00+07:00")
    return w


def unzip(content: bytes, target):
    """Extract a package; the bag's folder."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(target)
        (top,) = {name.split("/")[0] for name in archive.namelist()}
    return target / top
