"""The Portal's public catalogue pages: home, catalogue with filters and pages, procedure
page (SPEC §3 item 1; BN 6, HT 3.1.a), and their HTTP caching (SPEC §6)."""

from decimal import Decimal

import pytest
from django.utils.http import http_date

from motcua.catalogue.models import Component, Fee, Procedure
from motcua.operations import maintenance

from ..factories import AgencyFactory, FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    construction = FieldFactory(code="XD", name="Xây dựng")
    civil = FieldFactory(code="HT", name="Hộ tịch")
    department = AgencyFactory(code="000.01.16.H06", name="Sở Xây dựng")
    commune = AgencyFactory(code="H06.01.02", name="UBND xã Tân Chi", level="commune")
    permit = ProcedureFactory(
        name="Cấp giấy phép xây dựng",
        national_code="1.009972",
        field=construction,
        agencies=[department],
        online_level="partial",
        processing_days=Decimal("15"),
        processing_time_note="Kể từ ngày nhận đủ hồ sơ hợp lệ.",
        legal_basis="Luật Xây dựng số 50/2014/QH13\nNghị định số 15/2021/NĐ-CP",
        form_schema={
            "fields": [
                {"name": "owner", "label": "Chủ đầu tư", "type": "text", "required": True},
                {"name": "area", "label": "Diện tích xây dựng", "type": "number"},
            ]
        },
    )
    Fee.objects.create(procedure=permit, name="Lệ phí cấp giấy phép", amount=150_000)
    Component.objects.create(
        procedure=permit, order=1, name="Đơn đề nghị cấp giấy phép", formats=["pdf", "docx"]
    )
    Component.objects.create(
        procedure=permit,
        order=2,
        name="Bản vẽ thiết kế",
        required=False,
        original_required=True,
        formats=["pdf"],
        max_size_mb=20,
    )
    birth = ProcedureFactory(
        name="Đăng ký khai sinh",
        field=civil,
        agencies=[commune],
        level=Procedure.Level.COMMUNE,
        online_level="full",
    )
    desk_only = ProcedureFactory(
        name="Cấp lại giấy phép xây dựng", field=construction, online_level="offline"
    )
    hidden = ProcedureFactory(name="Cấp giấy phép xây dựng tạm", is_active=False)
    return permit, birth, desk_only, hidden


def page_of(response):
    assert response.status_code == 200
    return response.content.decode()


def test_home_search_box_counts_and_ways_in(client, catalogue):
    page = page_of(client.get("/"))
    assert 'action="/thu-tuc/"' in page and 'name="q"' in page
    assert "Đã công bố 3 thủ tục hành chính." in page  # the unpublished one is not counted
    assert 'href="/thu-tuc/?field=XD">Xây dựng</a> (2)' in page
    assert 'href="/thu-tuc/?agency=H06.01.02">UBND xã Tân Chi</a> (1)' in page
    assert 'href="/thu-tuc/?online=full">' in page and 'href="/thu-tuc/?level=commune">' in page
    assert 'href="/tra-cuu/"' in page
    assert 'href="/noi-bo/"' in page  # the back office, for officials


def test_search_without_accents_ranks_the_exact_name_first(client, catalogue):
    page = page_of(client.get("/thu-tuc/", {"q": "cap giay phep xay dung"}))
    assert "2 thủ tục" in page
    assert page.index("Cấp giấy phép xây dựng<") < page.index("Cấp lại giấy phép xây dựng")
    assert "Cấp giấy phép xây dựng tạm" not in page and "Đăng ký khai sinh" not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"field": "HT"}, ["Đăng ký khai sinh"]),
        ({"agency": "000.01.16.H06"}, ["Cấp giấy phép xây dựng"]),
        ({"level": "commune"}, ["Đăng ký khai sinh"]),
        ({"online": "offline"}, ["Cấp lại giấy phép xây dựng"]),
        ({"online": "partial", "q": "giay phep"}, ["Cấp giấy phép xây dựng"]),
        ({"field": "XD", "level": "commune"}, []),
    ],
)
def test_filters(client, catalogue, query, expected):
    page = page_of(client.get("/thu-tuc/", query))
    listed = [p.name for p in Procedure.objects.all() if f"<strong>{p.name}</strong>" in page]
    assert sorted(listed) == sorted(expected)


def test_an_unknown_filter_value_is_an_error_tied_to_its_field(client, catalogue):
    page = page_of(client.get("/thu-tuc/", {"field": "NOPE"}))
    assert 'aria-describedby="id_field-error"' in page and 'id="id_field-error"' in page
    assert "3 thủ tục" in page  # the other filters still apply: here none


def test_pages_keep_the_filters(client, catalogue):
    field = catalogue[0].field
    for n in range(25):
        ProcedureFactory(name=f"Thủ tục xây dựng {n:02d}", field=field)
    first = page_of(client.get("/thu-tuc/", {"field": "XD"}))
    assert "27 thủ tục" in first and "Trang 1 / 2" in first
    assert 'href="?field=XD&amp;page=2"' in first
    second = page_of(client.get("/thu-tuc/", {"field": "XD", "page": 2}))
    assert second.count("<strong>") == 7


def test_catalogue_queries_are_bounded(client, catalogue, django_assert_max_num_queries):
    for n in range(30):
        ProcedureFactory(name=f"Cấp giấy phép số {n}")
    maintenance.banner()  # read once a minute by every page, not per request
    with django_assert_max_num_queries(7):
        page_of(client.get("/thu-tuc/", {"q": "cap giay phep"}))


def test_procedure_page_shows_what_to_know_before_applying(client, catalogue):
    permit = catalogue[0]
    page = page_of(client.get(f"/thu-tuc/{permit.pk}/"))
    for text in (
        "Cấp giấy phép xây dựng",
        "1.009972",
        "Xây dựng",
        "Sở Xây dựng",
        "Dịch vụ công trực tuyến một phần",
        "15 ngày làm việc",
        "Kể từ ngày nhận đủ hồ sơ hợp lệ.",
        "Lệ phí cấp giấy phép",
        "150.000 đ",
        "Đơn đề nghị cấp giấy phép",
        "PDF, DOCX",
        "Bản vẽ thiết kế",
        "không bắt buộc",
        "20 MB",
        "Chủ đầu tư",
        "Diện tích xây dựng",
        "<li>Luật Xây dựng số 50/2014/QH13</li>",
        "<li>Nghị định số 15/2021/NĐ-CP</li>",
    ):
        assert text in page, text
    assert f'href="/thu-tuc/{permit.pk}/nop-ho-so/"' in page


def test_offline_procedure_has_no_apply_link(client, catalogue):
    desk_only = catalogue[2]
    page = page_of(client.get(f"/thu-tuc/{desk_only.pk}/"))
    assert "nop-ho-so" not in page and "Không thu phí, lệ phí." in page


def test_unpublished_or_unknown_procedure_is_404(client, catalogue):
    assert client.get(f"/thu-tuc/{catalogue[3].pk}/").status_code == 404
    assert client.get("/thu-tuc/999999/").status_code == 404


@pytest.mark.parametrize("path", ["/", "/thu-tuc/?q=cap+giay", "procedure"])
def test_public_pages_are_cacheable_and_revalidated(client, catalogue, path):
    permit = catalogue[0]
    if path == "procedure":
        path = f"/thu-tuc/{permit.pk}/"
    client.get(path)  # the first visit sets the CSRF cookie of the language form
    response = client.get(path)
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert response["Last-Modified"] and response["ETag"]
    again = client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    since = client.get(path, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304

    permit.name = "Cấp giấy phép xây dựng công trình"
    permit.save()
    changed = client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != response["ETag"]


def test_each_language_has_its_own_etag(client, catalogue):
    vietnamese = client.get("/thu-tuc/")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/thu-tuc/", HTTP_IF_NONE_MATCH=vietnamese["ETag"])
    assert english.status_code == 200 and "Administrative procedures" in english.content.decode()


def test_signed_in_pages_are_private(client, catalogue, django_user_model):
    client.force_login(django_user_model.objects.create(username="congdan", kind="citizen"))
    response = client.get("/thu-tuc/")
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_last_modified_is_the_catalogue_change(client, catalogue):
    newest = max(p.updated_at for p in Procedure.objects.all())
    assert client.get("/")["Last-Modified"] == http_date(newest.timestamp())


def test_home_queries_are_bounded(client, catalogue, django_assert_max_num_queries):
    for n in range(30):
        ProcedureFactory(name=f"Thủ tục số {n}")
    maintenance.banner()
    with django_assert_max_num_queries(5):
        page_of(client.get("/"))
