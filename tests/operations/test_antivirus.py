"""The upload-scanning hook (SPEC §3 item 25; TN 11): clamd's INSTREAM protocol, and uploads
refused when infected or when they could not be scanned, never accepted silently."""

import pytest

from motcua.dossiers import files
from motcua.dossiers.errors import RuleViolation
from motcua.dossiers.models import DossierFile
from motcua.operations.antivirus import CHUNK, ClamdScanner, ScanUnavailable, scanner
from tests.dossiers.conftest import new_dossier

from .conftest import EICAR

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_no_scanner_is_configured_by_default(settings):
    settings.MOTCUA_CLAMAV_ADDRESS = ""
    assert scanner() is None


def test_a_clean_file_is_streamed_in_chunks_and_passes(clamd):
    content = b"%PDF-1.4\n" + bytes(range(256)) * (CHUNK // 100)
    assert ClamdScanner(clamd.address, 5).scan(content) is None
    assert clamd.commands == [b"zINSTREAM\0"]
    received, chunks = clamd.streams[0]
    assert received == content
    assert chunks == -(-len(content) // CHUNK) > 1


def test_the_signature_found_is_returned(clamd):
    assert ClamdScanner(clamd.address, 5).scan(b"%PDF-1.4\n" + EICAR) == "Eicar-Test-Signature"


def test_the_unix_socket_address_is_understood(unix_clamd, settings):
    assert scanner().scan(EICAR) == "Eicar-Test-Signature"
    assert unix_clamd.streams[0][0] == EICAR


def test_an_error_reply_is_no_verdict(clamd):
    clamd.reply = b"INSTREAM size limit exceeded. ERROR\0"
    with pytest.raises(ScanUnavailable):
        ClamdScanner(clamd.address, 5).scan(PDF)


def test_an_unreachable_scanner_is_no_verdict(closed_port):
    with pytest.raises(ScanUnavailable):
        ClamdScanner(f"127.0.0.1:{closed_port}", 2).scan(PDF)


def test_an_infected_upload_is_refused_and_nothing_is_stored(world, clamd):
    dossier = new_dossier(world)
    component = world.permit.components.get()
    with pytest.raises(RuleViolation) as refused:
        files.attach(dossier, component, "to-khai.pdf", PDF + EICAR, by=world.citizen)
    assert refused.value.code == "infected"
    assert f"component_{component.pk}" in refused.value.fields
    assert not DossierFile.objects.exists()


def test_an_upload_the_scanner_cannot_check_is_refused(world, settings, closed_port):
    settings.MOTCUA_CLAMAV_ADDRESS = f"127.0.0.1:{closed_port}"
    dossier = new_dossier(world)
    with pytest.raises(RuleViolation) as refused:
        files.attach(dossier, world.permit.components.get(), "a.pdf", PDF, by=world.citizen)
    assert refused.value.code == "scan_unavailable"
    assert not DossierFile.objects.exists()


def test_a_clean_upload_is_scanned_and_stored(world, clamd):
    dossier = new_dossier(world)
    record = files.attach(dossier, world.permit.components.get(), "a.pdf", PDF, by=world.citizen)
    assert record.pk
    assert clamd.streams[0][0] == PDF


def test_the_refusal_is_in_vietnamese(world, clamd, settings):
    from django.utils import translation

    with translation.override("vi"), pytest.raises(RuleViolation) as refused:
        files.check_upload(world.permit.components.get(), "to-khai.pdf", PDF + EICAR)
    assert refused.value.message == (
        "Tệp to-khai.pdf có chứa virus (Eicar-Test-Signature) nên bị từ chối."
    )
