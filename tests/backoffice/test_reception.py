"""Desk reception of a paper dossier (SPEC §3 item 11)."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier, Status

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def post_reception(client, world, **overrides):
    component = world.permit.components.get()
    data = {
        "identifier": "027199001111",
        "full_name": "Lê Thị Cúc",
        "phone": "0912000111",
        "agency": world.department.pk,
        "channel": "desk",
        "form_full_name": "Lê Thị Cúc",
        "form_id_number": "027199001111",
        f"component_{component.pk}": SimpleUploadedFile("to-khai.pdf", PDF),
    }
    data.update(overrides)
    return client.post("/noi-bo/tiep-nhan/1.000001/", data)


def test_a_paper_dossier_is_created_digitised_and_received(world, signed_in):
    client = signed_in(world.desk_officer)
    page = client.get("/noi-bo/tiep-nhan/").content.decode()
    assert "1.000001" in page
    response = post_reception(client, world)
    assert response.status_code == 302, response.context["form"].errors
    dossier = Dossier.objects.get()
    assert dossier.status == Status.PROCESSING and dossier.channel == "desk"
    assert dossier.applicant.personal_id == "027199001111"
    assert dossier.applicant.full_name == "Lê Thị Cúc"
    assert not dossier.applicant.has_usable_password()
    assert dossier.submitter == world.desk_officer
    assert dossier.form_data == {"full_name": "Lê Thị Cúc", "id_number": "027199001111"}
    scan = dossier.files.get()
    assert scan.scanned and scan.uploaded_by == world.desk_officer
    assert json.loads(scan.scan_qr)["ma_ho_so"] == dossier.code


def test_the_same_applicant_is_found_again(world, signed_in):
    client = signed_in(world.desk_officer)
    post_reception(client, world, identifier="027090001234", full_name="Nguyễn Văn An")
    assert User.objects.filter(personal_id="027090001234").count() == 1
    assert Dossier.objects.get().applicant == world.citizen


def test_errors_are_shown_by_field_and_nothing_is_written(world, signed_in):
    client = signed_in(world.desk_officer)
    component = world.permit.components.get()
    response = post_reception(
        client,
        world,
        identifier="123",
        **{f"component_{component.pk}": SimpleUploadedFile("x.pdf", b"not a pdf")},
    )
    assert response.status_code == 200
    assert 'id="id_identifier-errors"' in response.content.decode()
    response = post_reception(
        client, world, **{f"component_{component.pk}": SimpleUploadedFile("x.pdf", b"nope")}
    )
    assert response.status_code == 200
    assert f'id="id_component_{component.pk}-errors"' in response.content.decode()
    assert not Dossier.objects.exists()
    assert not User.objects.filter(personal_id="027199001111").exists()


def test_only_one_stop_officers_receive_at_the_desk(world, signed_in):
    assert signed_in(world.specialist).get("/noi-bo/tiep-nhan/").status_code == 403
    commune = signed_in(world.commune_officer)
    assert commune.get("/noi-bo/tiep-nhan/1.000001/").status_code == 404
