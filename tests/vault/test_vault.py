"""The applicant's DataVault (SPEC §1, §3 item 6; TN 7.2.d, 13.7): documents kept with their
checksum, renamed and removed by their owner only, and e-results delivered once the fee is
paid (VP 16.1)."""

# The province's `world` fixture is imported; tests take it as an argument.
# ruff: noqa: F811

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers import services as engine
from motcua.dossiers.errors import ActionForbidden, RuleViolation
from motcua.vault import services
from motcua.vault.models import VaultDocument

from ..dossiers.conftest import world  # noqa: F401
from ..portal.test_my_dossiers import result_ready_unpaid

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


@pytest.fixture
def citizen(client, world):
    client.force_login(world.citizen)
    return client


def test_an_upload_is_kept_with_its_checksum(citizen, world):
    response = citizen.post(
        reverse("vault:index"),
        {"file": SimpleUploadedFile("CCCD.png", PNG), "title": "Căn cước công dân"},
    )
    assert response.status_code == 302
    document = VaultDocument.objects.get()
    assert document.owner == world.citizen and document.title == "Căn cước công dân"
    assert document.sha256 == hashlib.sha256(PNG).hexdigest()
    assert document.file_format == "png" and document.size == len(PNG)
    page = citizen.get(reverse("vault:index")).content.decode()
    assert "Căn cước công dân" in page
    download = citizen.get(reverse("vault:download", args=[document.pk]))
    assert b"".join(download.streaming_content) == PNG


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("hop-dong.pdf", b"MZ\x90\x00 program", "không thuộc định dạng được chấp nhận"),
        ("ghi-chu.txt", b"plain text", "không thuộc định dạng được chấp nhận"),
        ("lon.pdf", b"%PDF-" + b"0" * (1024 * 1024), "vượt quá 1 MB"),
    ],
)
def test_a_refused_upload_is_explained_and_not_kept(citizen, settings, name, content, message):
    settings.MOTCUA_VAULT_MAX_SIZE_MB = 1
    response = citizen.post(reverse("vault:index"), {"file": SimpleUploadedFile(name, content)})
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and 'id="id_file_error"' in page
    assert not VaultDocument.objects.exists()


def test_rename_and_remove(citizen, world):
    document = services.upload(world.citizen, "to-khai.pdf", PDF)
    citizen.post(reverse("vault:rename", args=[document.pk]), {"title": "Tờ khai 2026"})
    document.refresh_from_db()
    assert document.title == "Tờ khai 2026"
    citizen.post(reverse("vault:remove", args=[document.pk]))
    document.refresh_from_db()
    assert document.deleted_at is not None  # kept for the record, hidden from the owner
    assert "Tờ khai 2026" not in citizen.get(reverse("vault:index")).content.decode()
    assert citizen.get(reverse("vault:download", args=[document.pk])).status_code == 404


def test_only_the_owner_reaches_a_document(client, world):
    document = services.upload(world.citizen, "to-khai.pdf", PDF)
    client.force_login(world.other_citizen)
    assert client.get(reverse("vault:download", args=[document.pk])).status_code == 404
    assert client.post(reverse("vault:remove", args=[document.pk])).status_code == 404
    with pytest.raises(ActionForbidden):
        services.rename(document, world.other_citizen, "x")
    client.force_login(world.desk_officer)
    assert client.get(reverse("vault:index")).status_code == 403


def test_an_empty_name_is_refused(world):
    document = services.upload(world.citizen, "to-khai.pdf", PDF)
    with pytest.raises(RuleViolation) as error:
        services.rename(document, world.citizen, "  ")
    assert error.value.code == "title_required"


def test_the_result_is_kept_once_paid_and_only_once(world):
    dossier = result_ready_unpaid(world)
    assert services.keep_result(dossier) is None  # fee unpaid (VP 16.1)
    dossier = engine.record_payment(dossier, amount=8_000, reference="NH-1")
    kept = services.keep_result(dossier)
    assert kept.source == "result" and kept.owner == world.citizen and kept.dossier == dossier
    assert kept.sha256 == dossier.result.sha256
    assert services.keep_result(dossier) == kept
    assert services.keep_results_of(world.citizen) == 0
    assert VaultDocument.objects.count() == 1


def test_a_removed_result_is_not_brought_back(world):
    dossier = engine.record_payment(result_ready_unpaid(world), amount=8_000, reference="NH-1")
    kept = services.keep_result(dossier)
    services.remove(kept, world.citizen)
    assert services.keep_results_of(world.citizen) == 0
    assert not services.documents_of(world.citizen).exists()


def test_the_vault_page_gathers_deliverable_results(citizen, world):
    dossier = engine.record_payment(result_ready_unpaid(world), amount=8_000, reference="NH-1")
    page = citizen.get(reverse("vault:index")).content.decode()
    assert dossier.code in page
    assert VaultDocument.objects.get().dossier == dossier
