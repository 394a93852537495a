"""Documents of a dossier: format checked by content, size limit, checksum, scans' QR."""

import hashlib
import json

import pytest

from motcua.dossiers import files
from motcua.dossiers.errors import RuleViolation

from .conftest import new_dossier

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_an_accepted_file_is_stored_with_its_checksum(world):
    dossier = new_dossier(world)
    component = world.permit.components.get()
    record = files.attach(dossier, component, "to-khai.pdf", PDF, by=world.citizen)
    assert record.sha256 == hashlib.sha256(PDF).hexdigest()
    assert record.size == len(PDF) and record.file_format == "pdf"
    assert record.file.read() == PDF
    assert not record.scanned and record.scan_qr == ""
    # Named by its checksum in full: the name alone finds and checks the file.
    assert record.file.name == f"dossiers/{dossier.public_id}/{record.sha256}.pdf"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("to-khai.pdf", b"MZ\x90\x00 not a pdf at all", "file_type"),  # renamed program
        ("to-khai.png", b"\x89PNG\r\n\x1a\n....", "file_type"),  # PNG not accepted here
        ("to-khai", PDF, "file_type"),  # no extension
        ("to-khai.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "file_too_large"),
    ],
)
def test_refused_files_are_not_stored(world, name, content, code):
    dossier = new_dossier(world)
    component = world.permit.components.get()
    with pytest.raises(RuleViolation) as error:
        files.attach(dossier, component, name, content, by=world.citizen)
    assert error.value.code == code
    assert not dossier.files.exists()


def test_a_scan_carries_the_qr_of_circular_01_2023(world):
    dossier = new_dossier(world)
    component = world.permit.components.get()
    record = files.attach(dossier, component, "scan.pdf", PDF, by=world.desk_officer, scanned=True)
    payload = json.loads(record.scan_qr)
    assert payload["ma_ho_so"] == dossier.code
    assert payload["ma_thu_tuc"] == "1.000001"
    assert payload["ma_dinh_danh"] == "027090001234"
    assert payload["ten_giay_to"] == "Tờ khai"
    assert payload["thoi_gian"].endswith("+07:00")
    assert record.uploaded_by == world.desk_officer


def test_a_component_of_another_procedure_is_refused(world):
    dossier = new_dossier(world)
    with pytest.raises(RuleViolation) as error:
        files.attach(dossier, world.birth.components.get(), "a.pdf", PDF, by=world.citizen)
    assert error.value.code == "component"
