"""The two form sets a profile chooses with ``[documents] form_set``: Circular 01/2018/TT-VPCP
(BN, VP 22.7) and Circular 03/2025/TT-VPCP, Appendix I (HG 3.2, HT, TN 2: NĐ 118/2025/NĐ-CP
replaced NĐ 61/2018 on 1 July 2025). The same dossiers print in either set; only the
profile decides which."""

from datetime import date

import pytest

from motcua.documents.form_sets import FORM_SETS, active_form_set
from motcua.documents.sheets import (
    apology_pdf,
    control_sheet_pdf,
    receipt_pdf,
    reception_log_pdf,
    refusal_pdf,
    supplement_pdf,
)
from motcua.dossiers import services
from motcua.profiles import load_profile, profile_names
from motcua.profiles.loader import FORM_SETS as PROFILE_CHOICES
from tests.dossiers.conftest import at, new_dossier, received

from .conftest import read, text_of


def flat(data: bytes) -> str:
    """The text with line breaks (a long title wraps) read as spaces."""
    return " ".join(text_of(data).split())


BASIS_2018 = "(Kèm theo Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ)"
BASIS_2025 = (
    "(Kèm theo Thông tư số 03/2025/TT-VPCP ngày 15/9/2025 của Bộ trưởng, "
    "Chủ nhiệm Văn phòng Chính phủ)"
)

#: What each set prints, written out here rather than read from ``form_sets``.
SETS = {
    "tt01-2018": {
        "profile": "bac-ninh",
        "basis": BASIS_2018,
        "place": "Bắc Ninh, ngày",
        "forms": {
            "receipt": ("Mẫu số 01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
            "supplement": ("Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
            "refusal": ("Mẫu số 03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
            "apology": ("Mẫu số 04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
            "control_sheet": ("Mẫu số 05", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
            "reception_log": ("Mẫu số 06", "SỔ THEO DÕI HỒ SƠ"),
        },
        "receipt_desk": "Bộ phận tiếp nhận và trả kết quả: Trung tâm PVHCC tỉnh",
        "apology_promise": "Sở Tư pháp xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho",
    },
    "tt03-2025": {
        "profile": "hau-giang",
        "basis": BASIS_2025,
        "place": "Hậu Giang, ngày",
        "forms": {
            "receipt": ("Mẫu số 01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
            "supplement": ("Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
            "refusal": ("Mẫu số 03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
            "apology": (
                "Mẫu số 04",
                "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
            ),
            "control_sheet": ("Mẫu số 06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
            "reception_log": ("Mẫu số 07", "SỔ THEO DÕI HỒ SƠ"),
        },
        "receipt_desk": "Bộ phận Một cửa: Trung tâm PVHCC tỉnh",
        "apology_promise": "Sở Tư pháp xin lỗi Ông/Bà và đề nghị gia hạn thời gian giải quyết",
    },
}


@pytest.fixture
def dossiers(world):
    """Dossiers for every sheet, walked through the engine under the BN profile."""
    w = world
    extended = services.extend(
        received(w),
        w.leader,
        new_due_at=at("2026-03-11T10:00:00+07:00"),
        apology="Cần lấy ý kiến của cơ quan phối hợp.",
        at=at("2026-03-09T09:00:00+07:00"),
    )
    supplemented = services.request_supplement(
        new_dossier(w),
        w.desk_officer,
        items=["Bản sao Giấy khai sinh"],
        guidance="Nộp bản sao có chứng thực.",
        at=at("2026-03-02T09:30:00+07:00"),
    )
    refused = services.refuse(
        new_dossier(w),
        w.desk_officer,
        reason="Tờ khai không đúng mẫu",
        at=at("2026-03-02T14:15:00+07:00"),
    )
    return w, extended, supplemented, refused


def print_all(dossiers) -> dict[str, bytes]:
    w, extended, supplemented, refused = dossiers
    day = date(2026, 3, 2)
    return {
        "receipt": receipt_pdf(extended),
        "supplement": supplement_pdf(supplemented.supplement_requests.get()),
        "refusal": refusal_pdf(refused),
        "apology": apology_pdf(extended.apologies.get()),
        "control_sheet": control_sheet_pdf(extended, issued_at=at("2026-03-09T09:00:00+07:00")),
        "reception_log": reception_log_pdf(w.department, [extended], day, day),
    }


@pytest.mark.parametrize("key", SETS)
def test_each_set_prints_its_numbers_titles_and_basis(dossiers, settings, key):
    expected = SETS[key]
    settings.MOTCUA_PROFILE = expected["profile"]
    assert active_form_set().key == key
    sheets = print_all(dossiers)
    assert set(sheets) == set(expected["forms"])
    other_numbers = {n for s in SETS.values() for n, _ in s["forms"].values()}
    for name, data in sheets.items():
        number, title = expected["forms"][name]
        text = flat(data)
        assert number in text and title in text, name
        assert expected["basis"] in text, name
        assert expected["place"] in text, name
        assert not any(other in text for other in other_numbers - {number}), name
        assert read(data).metadata.subject == f"{number} {expected['basis']}"
    assert expected["receipt_desk"] in flat(sheets["receipt"])
    apology = flat(sheets["apology"])
    assert expected["apology_promise"] in apology
    assert "10 giờ 00 phút, ngày 11/03/2026" in apology
    assert "Lý do: Cần lấy ý kiến của cơ quan phối hợp." in apology
    assert "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: 260302-0001/TNHS)" in flat(
        sheets["control_sheet"]
    )


def test_switching_the_profile_switches_the_set(dossiers, settings):
    _w, extended, _supplemented, _refused = dossiers
    printed = {}
    for profile in ("vinh-phuc", "thai-nguyen", "ha-tinh", "bac-ninh"):
        settings.MOTCUA_PROFILE = profile
        printed[profile] = flat(control_sheet_pdf(extended)), flat(receipt_pdf(extended))
    for profile in ("vinh-phuc", "bac-ninh"):
        control, receipt = printed[profile]
        assert "Mẫu số 05" in control and BASIS_2018 in control
        assert "Bộ phận tiếp nhận và trả kết quả:" in receipt and BASIS_2018 in receipt
    for profile in ("thai-nguyen", "ha-tinh"):
        control, receipt = printed[profile]
        assert "Mẫu số 06" in control and BASIS_2025 in control and "Mẫu số 05" not in control
        assert "Bộ phận Một cửa:" in receipt and BASIS_2025 in receipt


def test_every_set_is_chosen_by_a_profile_and_known_to_the_loader():
    assert set(PROFILE_CHOICES) == set(FORM_SETS)
    assert {load_profile(n).documents.form_set for n in profile_names()} == set(FORM_SETS)
