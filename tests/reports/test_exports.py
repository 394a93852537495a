"""The statistics in files (SPEC §3 item 18): the XLSX in the layout of Biểu 06 and the
flat CSV, read back as a spreadsheet program would."""

import csv
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from motcua.reports import exports, statistics

from .fixtures_statistics import APRIL_PERIOD, april_tallies

pytestmark = pytest.mark.urls("tests.reports.urls_statistics")

FILES = "/noi-bo/bao-cao/tai-ve"
APRIL_QUERY = {"kind": "month", "month": "2026-04", "grouping": "field"}


@pytest.fixture
def april(world):
    return april_tallies(world)


@pytest.fixture
def department_report(april):
    return statistics.report(APRIL_PERIOD, agency=april.department, grouping="field")


def read_xlsx(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_the_workbook_has_the_forms_titles_and_merged_header(april, department_report):
    with translation.override("vi"):
        data = exports.to_xlsx(department_report, kind="month", agency=april.department)
    sheet = read_xlsx(data)
    assert sheet["A1"].value == ("Biểu số 06. TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    assert sheet["A2"].value == "Đơn vị báo cáo: Sở Tư pháp"
    assert sheet["A3"].value == (
        "Kỳ báo cáo: Tháng 04/2026 (từ ngày 15/03/2026 đến ngày 14/04/2026)"
    )
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # STT and the row label span the four header rows; the groups span their columns.
    assert {"A6:A9", "B6:B9", "C6:H6", "C7:C9", "D7:H7", "D8:D9", "E8:G8"} <= merged
    assert sheet["A6"].value == "STT" and sheet["B6"].value == "Lĩnh vực"
    assert sheet["C6"].value == "Số hồ sơ nhận giải quyết"
    assert sheet["C7"].value == "Tổng số" and sheet["D7"].value == "Trong đó"
    assert sheet["D8"].value == "Số kỳ trước chuyển qua"
    assert sheet["E8"].value == "Số mới tiếp nhận"
    assert [sheet.cell(9, c).value for c in (5, 6, 7)] == [
        "Trực tuyến",
        "Trực tiếp",
        "Dịch vụ bưu chính công ích",
    ]
    assert sheet["I6"].value == "Kết quả giải quyết"
    assert sheet["I7"].value == "Số hồ sơ đã giải quyết"
    assert sheet["J8"].value == "Trả đúng thời hạn" and sheet["L8"].value == "Trả quá hạn"
    assert [sheet.cell(9, c).value for c in (10, 11)] == ["Trước hạn", "Đúng hạn"]
    assert sheet["M7"].value == "Số hồ sơ đang giải quyết"
    assert [sheet.cell(8, c).value for c in (13, 14, 15)] == ["Tổng số", "Chưa đến hạn", "Quá hạn"]


def test_the_workbook_holds_numbers_one_line_per_group_and_the_total(april, department_report):
    sheet = read_xlsx(exports.to_xlsx(department_report, kind="month", agency=april.department))
    keys = [leaf.key for leaf in exports.leaves()]
    line = {key: sheet.cell(10, 3 + n).value for n, key in enumerate(keys)}
    assert sheet["A10"].value == 1
    assert sheet["B10"].value == april.permit.field.name
    assert line["received_total"] == 5 and isinstance(line["received_total"], int)
    assert (line["received_online"], line["received_desk"], line["received_postal"]) == (3, 1, 1)
    assert (line["settled"], line["settled_early"], line["settled_late"]) == (4, 2, 1)
    assert line["online_rate"] == 60.0 and line["e_result_rate"] == 50.0
    total = {key: sheet.cell(11, 3 + n).value for n, key in enumerate(keys)}
    assert sheet["A11"].value is None and total["received_total"] == 5
    assert sheet.max_row == 11


def test_a_rate_with_nothing_to_measure_is_an_empty_cell(april):
    report = statistics.report(APRIL_PERIOD, agency=april.commune, grouping="field")
    sheet = read_xlsx(exports.to_xlsx(report, kind="month", agency=april.commune))
    column = 3 + [leaf.key for leaf in exports.leaves()].index("online_payment_rate")
    assert sheet.cell(10, column).value is None  # nothing paid
    assert sheet.cell(10, 3).value == 2


def test_the_csv_is_utf8_with_a_bom_and_the_same_columns(april, department_report):
    with translation.override("vi"):
        data = exports.to_csv(department_report, kind="month", agency=april.department)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:3] == ["STT", "Lĩnh vực", "Số hồ sơ nhận giải quyết - Tổng số"]
    assert "Số hồ sơ nhận giải quyết - Trong đó - Số mới tiếp nhận - Trực tuyến" in header
    assert "Kết quả giải quyết - Số hồ sơ đã giải quyết - Trả đúng thời hạn - Trước hạn" in header
    assert len(header) == 2 + len(exports.leaves())
    body = dict(zip(header, rows[1], strict=True))
    assert body["Số hồ sơ nhận giải quyết - Tổng số"] == "5"
    assert body["Tỷ lệ (%) - Nộp trực tuyến"] == "60.0"
    assert rows[2][:3] == ["", "Tổng cộng", "5"]
    assert len(rows) == 3


def test_the_page_offers_both_files_to_its_readers(april, signed_in):
    client = signed_in(april.leader)
    response = client.get(f"{FILES}.xlsx", APRIL_QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_TYPE
    disposition = response["Content-Disposition"]
    assert disposition == 'attachment; filename="bieu-06-month-2026-04-000.00.15.H06.xlsx"'
    sheet = read_xlsx(response.content)
    assert sheet["A2"].value == "Đơn vị báo cáo: Sở Tư pháp"
    response = client.get(f"{FILES}.csv", APRIL_QUERY)
    assert response["Content-Type"] == exports.CSV_TYPE
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[-1][1:3] == ["Tổng cộng", "5"]
    # The commune is not the department leader's to download.
    commune = {**APRIL_QUERY, "agency": april.commune.pk}
    assert client.get(f"{FILES}.csv", commune).status_code == 400


def test_the_province_file_by_agency(april, signed_in):
    response = signed_in(april.monitor).get(f"{FILES}.csv", {**APRIL_QUERY, "grouping": "agency"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][1] == "Cơ quan, đơn vị"
    assert sorted(r[1] for r in rows[1:-1]) == ["Sở Tư pháp", "UBND phường Kinh Bắc"]
    assert rows[-1][2] == "7"
    assert "toan-tinh" in response["Content-Disposition"]
