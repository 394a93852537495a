"""The archive pages: the agency's head, clerk and administrator make and download their
own agency's packages; anyone else finds nothing."""

import pytest

from motcua.accounts.models import User
from motcua.archive import packages
from motcua.archive.models import ArchiveExport
from motcua.audit.models import AuditEntry

from .conftest import MARCH, unzip

PAGE = "/noi-bo/luu-tru/000.00.15.H06/"


def agency_admin(w):
    return User.objects.create(
        username="quantri", kind=User.Kind.STAFF, role="agency_admin", agency=w.department
    )


def test_the_index_leads_to_the_own_agency(march, signed_in):
    response = signed_in(march.leader).get("/noi-bo/luu-tru/")
    assert response.status_code == 302 and response.url == PAGE


def test_the_clerk_makes_and_downloads_a_package(march, signed_in, tmp_path):
    client = signed_in(march.clerk)
    page = client.get(PAGE)
    assert page.status_code == 200 and "Chưa có gói nào" in page.content.decode()
    response = client.post(PAGE, {"start": "2026-03-01", "end": "2026-03-31"})
    assert response.status_code == 302
    record = ArchiveExport.objects.get()
    page = client.get(PAGE).content.decode()
    assert record.filename in page and record.sha256 in page
    download = client.get(f"{PAGE}goi/{record.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{record.filename}"'
    content = b"".join(download.streaming_content)
    assert (unzip(content, tmp_path) / "bagit.txt").exists()
    assert AuditEntry.objects.filter(action="archive.download", actor=march.clerk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "2026-03-31", "end": "2026-03-01"}, "Ngày cuối trước ngày đầu."),
        ({"start": "2026-03-01", "end": ""}, "Trường này là bắt buộc."),
    ],
)
def test_a_bad_period_is_shown_and_changes_nothing(march, signed_in, data, message):
    response = signed_in(agency_admin(march)).post(PAGE, data)
    assert response.status_code == 200 and message in response.content.decode()
    assert response.context["form"].errors
    assert not ArchiveExport.objects.exists()


def test_other_staff_find_nothing(march, signed_in, client):
    w = march
    record = packages.export(w.department, *MARCH, actor=w.leader)
    for user in (w.specialist, w.unit_leader, w.commune_chair, w.desk_officer, w.monitor):
        client.logout()
        signed_in(user)
        assert client.get(PAGE).status_code == 404
        assert client.post(PAGE, {"start": "2026-03-01", "end": "2026-03-31"}).status_code == 404
        assert client.get(f"{PAGE}goi/{record.pk}/").status_code == 404
    client.logout()
    signed_in(w.commune_chair)
    # The commune's own page is the commune chair's, and shows no other agency's package.
    assert client.get(f"/noi-bo/luu-tru/H06.01.01/goi/{record.pk}/").status_code == 404
    assert client.get("/noi-bo/luu-tru/").status_code == 302
    client.logout()
    signed_in(w.specialist)
    assert client.get("/noi-bo/luu-tru/").status_code == 404
    assert ArchiveExport.objects.count() == 1


def test_applicants_are_turned_away(march, client):
    client.force_login(march.citizen)
    assert client.get(PAGE).status_code == 403


def test_the_list_of_packages_takes_a_bounded_number_of_queries(
    march, signed_in, django_assert_max_num_queries
):
    w = march
    for day in (9, 12, 16):
        packages.export(w.department, MARCH[0], MARCH[0].replace(day=day), actor=w.leader)
    assert ArchiveExport.objects.count() == 3
    client = signed_in(w.clerk)
    with django_assert_max_num_queries(8):
        response = client.get(PAGE)
    assert response.content.decode().count("<code>") == 3
