"""The statistics page of the back office: who reads which agencies, the Biểu 06 table, the
rates, the grade and the ratings (SPEC §3 item 18; SPEC §2 "Access")."""

import re

import pytest

from motcua.accounts.models import User

from .fixtures_statistics import april_tallies, rate, settled_early

pytestmark = pytest.mark.urls("tests.reports.urls_statistics")

PAGE = "/noi-bo/bao-cao/"
APRIL_QUERY = {"kind": "month", "month": "2026-04", "grouping": "field"}


@pytest.fixture
def april(world):
    return april_tallies(world)


def cell(page: str, key: str, row: str = "total") -> str:
    """The text of column ``key`` in the table row with id ``row``."""
    line = re.search(rf'<tr class="total" id="{row}">(.*?)</tr>', page, re.S).group(1)
    return re.search(rf'<td data-col="{key}">(.*?)</td>', line).group(1)


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/noi-bo/dang-nhap/" in response["Location"]
    assert client.get(f"{PAGE}da-luu/").status_code == 302


@pytest.mark.parametrize(
    "who", ["specialist", "clerk", "desk_officer", "commune_officer", "citizen"]
)
def test_other_roles_and_citizens_are_refused(world, signed_in, who):
    client = signed_in(getattr(world, who))
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}tai-ve.xlsx").status_code == 403
    assert client.get(f"{PAGE}da-luu/").status_code == 403


def test_a_leader_without_an_agency_is_refused(world, signed_in):
    leader = User.objects.create(
        username="lanhdao.khong", kind=User.Kind.STAFF, role="agency_leader"
    )
    assert signed_in(leader).get(PAGE).status_code == 403


def test_the_monitor_reads_the_province_and_any_agency(april, signed_in):
    client = signed_in(april.monitor)
    page = client.get(PAGE, APRIL_QUERY).content.decode()
    # Department 5 + commune 2 received; 4 + 2 settled.
    assert cell(page, "received_total") == "7"
    assert cell(page, "settled") == "6"
    page = client.get(PAGE, {**APRIL_QUERY, "agency": april.commune.pk}).content.decode()
    assert cell(page, "received_total") == "2"
    assert cell(page, "received_desk") == "2"
    assert 'id="scope">UBND phường Kinh Bắc<' in page


def test_a_leader_reads_only_their_agency_and_its_units(april, signed_in):
    client = signed_in(april.leader)
    page = client.get(PAGE, APRIL_QUERY).content.decode()
    assert 'id="scope">Sở Tư pháp<' in page
    assert cell(page, "received_total") == "5"
    # The commune is outside the department's tree; the whole province is the monitor's.
    assert client.get(PAGE, {**APRIL_QUERY, "agency": april.commune.pk}).status_code == 400
    assert client.get(PAGE, {**APRIL_QUERY, "agency": ""}).status_code == 400
    unit = client.get(PAGE, {**APRIL_QUERY, "agency": april.unit.pk})
    assert unit.status_code == 200
    # The unit leader sees the unit, not the department above it.
    unit_leader = signed_in(april.unit_leader)
    page = unit_leader.get(PAGE, APRIL_QUERY).content.decode()
    assert 'id="scope">Phòng Hành chính tư pháp<' in page
    assert '<td data-col="received_total">0</td>' in page
    dept = unit_leader.get(PAGE, {**APRIL_QUERY, "agency": april.department.pk})
    assert dept.status_code == 400


def test_the_table_follows_the_form_and_gives_the_rates(april, signed_in):
    client = signed_in(april.monitor)
    query = {**APRIL_QUERY, "agency": april.department.pk}
    page = client.get(PAGE, query).content.decode()
    expected = {
        "received_total": "5",
        "carried_over": "0",
        "received_online": "3",  # the province's portal and the national portal
        "received_desk": "1",
        "received_postal": "1",
        "settled": "4",
        "settled_early": "2",
        "settled_on_time": "1",
        "settled_late": "1",
        "in_progress": "0",
        "left_unsettled": "1",
        "online_rate": "60,00",
        "full_online_rate": "40,00",
        "online_payment_rate": "75,00",
        "digitisation_rate": "80,00",
        "e_result_rate": "50,00",
    }
    for key, value in expected.items():
        assert cell(page, key) == value, key
    # The two-level header of Biểu 06, merged as on the form.
    assert 'colspan="6">Số hồ sơ nhận giải quyết</th>' in page
    assert "Số kỳ trước chuyển qua" in page
    assert 'colspan="3">Số mới tiếp nhận</th>' in page
    assert "Trả đúng thời hạn" in page and "Trả quá hạn" in page
    assert "Số hồ sơ đang giải quyết" in page and "Chưa đến hạn" in page
    assert "Tháng 04/2026" in page and "15/03/2026 – 14/04/2026" in page
    assert (
        f"tai-ve.xlsx?kind=month&amp;month=2026-04&amp;grouping=field&amp;agency={april.department.pk}"
        in page
    )


def test_rows_by_procedure_and_by_agency(april, signed_in):
    client = signed_in(april.monitor)
    page = client.get(PAGE, {**APRIL_QUERY, "grouping": "agency"}).content.decode()
    assert '<td class="name">Sở Tư pháp</td>' in page
    assert '<td class="name">UBND phường Kinh Bắc</td>' in page
    page = client.get(PAGE, {**APRIL_QUERY, "grouping": "procedure"}).content.decode()
    assert f'<td class="name">{april.permit}</td>' in page


def test_bad_filters_are_refused_in_vietnamese(april, signed_in):
    client = signed_in(april.monitor)
    response = client.get(PAGE, {**APRIL_QUERY, "month": "tháng tư"})
    assert response.status_code == 400
    assert "Nhập tháng theo dạng YYYY-MM" in response.content.decode()
    assert client.get(PAGE, {**APRIL_QUERY, "kind": "decade"}).status_code == 400
    response = client.get(PAGE, {**APRIL_QUERY, "month": "0001-01"})
    assert response.status_code == 400
    assert "Chọn một tháng từ năm 2000 đến năm 2100." in response.content.decode()
    assert client.get(f"{PAGE}tai-ve.csv", {**APRIL_QUERY, "grouping": "x"}).status_code == 400
    assert client.get(f"{PAGE}tai-ve.pdf", APRIL_QUERY).status_code == 404


def test_without_ratings_the_scope_is_scored_but_not_graded(april, signed_in):
    page = signed_in(april.monitor).get(PAGE, APRIL_QUERY).content.decode()
    assert "Chưa xếp loại: trong kỳ này đánh giá được 1/9 chỉ số" in page
    # Indicator 1 of the province: (2·2 + 3·1 + 1·0) / 6 early, on time and late.
    assert re.search(r'id="indicator-1">.*?<td>1,17</td>', page, re.S)


def test_the_default_is_the_current_month(april, signed_in):
    page = signed_in(april.monitor).get(PAGE).content.decode()
    assert 'id="scope">Toàn tỉnh<' in page
    assert 'name="month" value="' in page


def test_a_dossier_driven_through_the_engine_and_its_rating(world, signed_in):
    dossier = settled_early(world)
    rate(dossier, satisfaction=2, points=2)
    client = signed_in(world.monitor)
    page = client.get(PAGE, APRIL_QUERY).content.decode()
    assert cell(page, "received_total") == "1"
    assert cell(page, "settled_early") == "1"
    assert 'id="ratings-count">1<' in page
    assert 'id="ratings-average">2,00<' in page
    # Indicator 1 (early: 2 points), 2 (steps), 3–7 (ratings); 8–9 not answered.
    assert re.search(r'id="indicator-1">.*?<td>2,00</td>', page, re.S)
    assert "Chưa đánh giá: không có số liệu trong kỳ" in page
    assert "Xuất sắc" in page


def test_the_page_reads_a_bounded_number_of_queries(
    april, signed_in, django_assert_max_num_queries
):
    client = signed_in(april.monitor)
    client.get(PAGE, APRIL_QUERY)
    with django_assert_max_num_queries(25):
        assert client.get(PAGE, {**APRIL_QUERY, "grouping": "agency"}).status_code == 200
