"""Online submission in the Portal (SPEC §3 item 3): the e-form validated on the server, the
documents checked against their components (VP 11.1), drafts, DataVault reuse, applying for
someone else only under an authorisation (HG 5.6), and the receipt with its QR."""

# The province's `world` fixture is imported; tests take it as an argument.
# ruff: noqa: F811

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from motcua.accounts.models import User
from motcua.catalogue.models import Agency, Component
from motcua.dossiers.models import Dossier, DossierFile, Status
from motcua.vault import services as vault

from ..dossiers.conftest import world  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def stored_names() -> set[str]:
    """Every file name in storage under dossiers/ (the tests' in-memory storage)."""
    if not default_storage.exists("dossiers"):
        return set()
    names = set()
    for folder in default_storage.listdir("dossiers")[0]:
        names.update(f"{folder}/{n}" for n in default_storage.listdir(f"dossiers/{folder}")[1])
    return names


@pytest.fixture
def citizen(client, world):
    client.force_login(world.citizen)
    return client


def apply_url(procedure):
    return reverse("portal:apply", args=[procedure.pk])


def upload(name="to-khai.pdf", content=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def valid_post(w, **extra):
    component = w.permit.components.get()
    return {
        "action": "submit",
        "form_full_name": "Nguyễn Văn An",
        "form_id_number": "027090001234",
        f"component_{component.pk}": upload(),
        **extra,
    }


def test_the_form_is_built_from_the_procedures_schema(citizen, world):
    response = citizen.get(apply_url(world.permit))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="form_full_name"' in page and "Họ và tên" in page
    assert 'name="form_id_number"' in page
    component = world.permit.components.get()
    assert f'name="component_{component.pk}"' in page and "Tờ khai" in page
    # One competent agency: nothing to choose.
    assert 'name="agency"' not in page


def test_staff_are_not_applicants(client, world):
    client.force_login(world.desk_officer)
    assert client.get(apply_url(world.permit)).status_code == 403


def test_an_eform_error_is_shown_at_its_field_and_nothing_is_saved(citizen, world):
    before = stored_names()
    response = citizen.post(apply_url(world.permit), valid_post(world, form_id_number="12345"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Số định danh cá nhân gồm 12 chữ số." in page
    # The message is tied to the field for screen readers.
    assert 'id="id_form_id_number_error"' in page
    assert 'aria-describedby="id_form_id_number_error"' in page
    assert 'aria-invalid="true"' in page
    assert not Dossier.objects.exists() and not DossierFile.objects.exists()
    assert stored_names() == before


def test_every_error_shows_at_once(citizen, world):
    component = world.permit.components.get()
    data = valid_post(
        world,
        form_full_name="",
        form_id_number="12",
        **{f"component_{component.pk}": upload("anh.png", b"\x89PNG\r\n\x1a\n....")},
    )
    page = citizen.post(apply_url(world.permit), data).content.decode()
    for field in ("form_full_name", "form_id_number", f"component_{component.pk}"):
        assert f'id="id_{field}_error"' in page
    assert not Dossier.objects.exists()


def test_a_valid_application_is_submitted_with_its_document_and_a_receipt(citizen, world):
    response = citizen.post(apply_url(world.permit), valid_post(world))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("portal:receipt", args=[dossier.public_id])
    assert dossier.status == Status.SUBMITTED and dossier.code
    assert dossier.applicant == world.citizen == dossier.submitter
    assert dossier.form_data == {"full_name": "Nguyễn Văn An", "id_number": "027090001234"}
    record = dossier.files.get()
    assert record.sha256 == hashlib.sha256(PDF).hexdigest() and record.file.read() == PDF

    receipt = citizen.get(response.url)
    page = receipt.content.decode()
    assert dossier.code in page
    assert "Hạn tiếp nhận" in page or "tiếp nhận trước" in page.lower()
    assert "100.000 đ" in page
    qr = reverse("portal:dossier_qr", args=[dossier.public_id])
    assert qr in page
    image = citizen.get(qr)
    assert image["Content-Type"] == "image/png" and image.content.startswith(b"\x89PNG")
    assert f"/tra-cuu/{dossier.code}" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("to-khai.pdf", b"MZ\x90\x00 not a pdf", "không thuộc định dạng được chấp nhận"),
        ("anh.png", b"\x89PNG\r\n\x1a\n....", "không thuộc định dạng được chấp nhận"),
        ("to-khai.pdf", b"%PDF-" + b"0" * (1024 * 1024), "vượt quá 1 MB"),
    ],
)
def test_a_refused_document_is_explained_at_its_component_and_nothing_is_stored(
    citizen, world, name, content, message
):
    component = world.permit.components.get()
    Component.objects.filter(pk=component.pk).update(max_size_mb=1)
    before = stored_names()
    data = valid_post(world, **{f"component_{component.pk}": upload(name, content)})
    response = citizen.post(apply_url(world.permit), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and name in page
    assert f'id="id_component_{component.pk}_error"' in page
    assert not Dossier.objects.exists() and not DossierFile.objects.exists()
    assert stored_names() == before


def test_a_required_document_must_be_attached_before_submitting(citizen, world):
    component = world.permit.components.get()
    data = valid_post(world)
    del data[f"component_{component.pk}"]
    response = citizen.post(apply_url(world.permit), data)
    assert response.status_code == 400
    assert f'id="id_component_{component.pk}_error"' in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_draft_is_saved_incomplete_and_submitted_later(citizen, world):
    response = citizen.post(
        apply_url(world.permit), {"action": "draft", "form_full_name": "Nguyễn Văn An"}
    )
    draft = Dossier.objects.get()
    assert draft.status == Status.DRAFT and draft.code is None
    assert draft.form_data == {"full_name": "Nguyễn Văn An"}
    resume = reverse("portal:apply_draft", args=[world.permit.pk, draft.public_id])
    assert response.status_code == 302 and response.url == resume

    # It is listed, and the form comes back filled in.
    assert resume in citizen.get(reverse("portal:my_dossiers")).content.decode()
    assert 'value="Nguyễn Văn An"' in citizen.get(resume).content.decode()

    data = valid_post(world)
    del data["form_full_name"]
    refused = citizen.post(resume, data)
    assert refused.status_code == 400  # the name is required on submission
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and not draft.files.exists()

    response = citizen.post(resume, valid_post(world))
    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == Status.SUBMITTED and draft.files.count() == 1
    assert Dossier.objects.count() == 1


def test_a_draft_keeps_no_wrong_value(citizen, world):
    response = citizen.post(apply_url(world.permit), {"action": "draft", "form_id_number": "12"})
    assert response.status_code == 400
    assert not Dossier.objects.exists()


def test_another_applicants_draft_cannot_be_taken_up(client, world):
    client.force_login(world.citizen)
    client.post(apply_url(world.permit), {"action": "draft", "form_full_name": "An"})
    draft = Dossier.objects.get()
    client.force_login(world.other_citizen)
    url = reverse("portal:apply_draft", args=[world.permit.pk, draft.public_id])
    assert client.get(url).status_code == 404


def principal_post(w, **extra):
    return valid_post(
        w,
        on_behalf="on",
        principal_identifier="027199009999",
        principal_name="Trần Thị Bình",
        **extra,
    )


def test_applying_for_someone_else_without_an_authorisation_is_refused(citizen, world):
    users = User.objects.count()
    response = citizen.post(apply_url(world.permit), principal_post(world))
    page = response.content.decode()
    assert response.status_code == 400
    assert "phải có văn bản ủy quyền" in page
    assert 'id="id_authorisation_error"' in page
    assert not Dossier.objects.exists() and User.objects.count() == users


def test_applying_for_someone_else_under_an_authorisation(citizen, world):
    authorisation = "Giấy ủy quyền số 12/UQ ngày 01/3/2026, UBND phường chứng thực"
    response = citizen.post(
        apply_url(world.permit), principal_post(world, authorisation=authorisation)
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.applicant.personal_id == "027199009999"
    assert dossier.applicant.full_name == "Trần Thị Bình"
    assert dossier.submitter == world.citizen and dossier.authorisation == authorisation
    # The submitter follows the dossier they submitted.
    page = citizen.get(reverse("portal:my_dossiers")).content.decode()
    assert dossier.code in page


def test_the_agency_is_chosen_when_several_handle_the_procedure(citizen, world):
    other = Agency.objects.create(code="000.00.16.H06", name="Sở Xây dựng", level="department")
    world.permit.agencies.add(other)
    page = citizen.get(apply_url(world.permit)).content.decode()
    assert 'name="agency"' in page and "Sở Xây dựng" in page
    response = citizen.post(apply_url(world.permit), valid_post(world))
    assert response.status_code == 400 and not Dossier.objects.exists()
    response = citizen.post(apply_url(world.permit), valid_post(world, agency=world.department.pk))
    assert response.status_code == 302
    assert Dossier.objects.get().agency == world.department


def test_a_document_is_reused_from_the_vault(citizen, world):
    kept = vault.upload(world.citizen, "to-khai-da-ky.pdf", PDF, title="Tờ khai của tôi")
    component = world.permit.components.get()
    assert "Tờ khai của tôi" in citizen.get(apply_url(world.permit)).content.decode()
    data = valid_post(world, **{f"vault_{component.pk}": kept.pk})
    del data[f"component_{component.pk}"]
    response = citizen.post(apply_url(world.permit), data)
    assert response.status_code == 302
    record = Dossier.objects.get().files.get()
    assert record.sha256 == kept.sha256 and record.original_name == "to-khai-da-ky.pdf"
    assert record.file.name != kept.file.name  # the dossier has its own copy


def test_someone_elses_vault_document_cannot_be_picked(citizen, world):
    theirs = vault.upload(world.other_citizen, "cua-nguoi-khac.pdf", PDF)
    component = world.permit.components.get()
    data = valid_post(world, **{f"vault_{component.pk}": theirs.pk})
    del data[f"component_{component.pk}"]
    response = citizen.post(apply_url(world.permit), data)
    assert response.status_code == 400 and not Dossier.objects.exists()


def test_an_offline_procedure_is_not_applied_for_online(citizen, world):
    world.permit.online_level = "offline"
    world.permit.save()
    response = citizen.get(apply_url(world.permit))
    assert response.status_code == 409
    assert "không nộp trực tuyến được" in response.content.decode()
