"""Dates, numbers and the lookup address as the sheets print them."""

from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from motcua.documents.formatting import moment, place_and_date, quantity, timeliness
from motcua.documents.qr import lookup_url


def test_times_are_shown_in_vietnam_whatever_the_stored_zone():
    assert moment(datetime(2026, 3, 2, 3, 5, tzinfo=UTC)) == "10 giờ 05 phút, ngày 02/03/2026"
    assert moment(None) == ""


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 2), "Bắc Ninh, ngày 02 tháng 3 năm 2026"),
        (date(2026, 2, 15), "Bắc Ninh, ngày 15 tháng 02 năm 2026"),
        (date(2026, 12, 5), "Bắc Ninh, ngày 05 tháng 12 năm 2026"),
        # 18:00 UTC on 1 March is already 2 March in Vietnam.
        (datetime(2026, 3, 1, 18, 0, tzinfo=UTC), "Bắc Ninh, ngày 02 tháng 3 năm 2026"),
    ],
)
def test_place_and_date_line(day, expected):
    """Days below 10 and months below 3 take a leading zero (ND 30/2020 Appendix I)."""
    assert place_and_date("Bắc Ninh", day) == expected


def test_quantities_and_labels():
    assert [quantity(Decimal(v)) for v in ("5.0", "0.5", "10", "1.5")] == ["5", "0,5", "10", "1,5"]
    assert [timeliness(v) for v in ("early", "on_time", "late", "")] == [
        "Sớm hạn",
        "Đúng hạn",
        "Quá hạn",
        "",
    ]


def test_lookup_url():
    dossier = SimpleNamespace(code="000.00.15.H06-260302-0001")
    assert lookup_url(dossier) == "http://127.0.0.1:8000/tra-cuu/000.00.15.H06-260302-0001/"
    assert (
        lookup_url(dossier, "https://dichvucong.bacninh.gov.vn/")
        == "https://dichvucong.bacninh.gov.vn/tra-cuu/000.00.15.H06-260302-0001/"
    )
    with pytest.raises(ValueError):
        lookup_url(SimpleNamespace(code=None))
