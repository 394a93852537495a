"""Mẫu 01–04 of Circular 01/2018/TT-VPCP, for dossiers walked through the engine."""

from io import BytesIO

import pytest
from PIL import Image

from motcua.documents.qr import lookup_url, qr_png
from motcua.documents.sheets import apology_pdf, receipt_pdf, refusal_pdf, supplement_pdf
from motcua.dossiers import services
from tests.dossiers.conftest import at, new_dossier, received

from .conftest import read, text_of

PORTAL = "https://dichvucong.bacninh.gov.vn"
CODE = "000.00.15.H06-260302-0001"


def assert_lookup_qr(data: bytes, dossier, base_url: str):
    """Every page shows the lookup address and carries its QR code: segno is deterministic,
    so the embedded image must be the very QR code of that address."""
    url = lookup_url(dossier, base_url)
    expected = Image.open(BytesIO(qr_png(url))).convert("L").tobytes()
    for page in read(data).pages:
        assert url in page.extract_text()
        (image,) = page.images
        assert image.image.convert("L").tobytes() == expected


def test_01_receipt(world):
    dossier = received(world)
    data = receipt_pdf(dossier, base_url=PORTAL)
    text = text_of(data)
    for expected in [
        "Mẫu số 01",
        "UBND TỈNH",
        "SỞ TƯ PHÁP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 260302-0001/TNHS",
        "Bắc Ninh, ngày 02 tháng 3 năm 2026",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {CODE}",
        "Bộ phận tiếp nhận và trả kết quả: Trung tâm PVHCC tỉnh",
        "Tiếp nhận hồ sơ của: Nguyễn Văn An",
        "Số định danh cá nhân/mã số thuế: 027090001234",
        f"Nội dung yêu cầu giải quyết: {world.permit.name}",
        "Cơ quan giải quyết hồ sơ: Sở Tư pháp",
        "Tờ khai (01 bản)",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 5 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 10 giờ 00 phút, ngày 02/03/2026",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 10 giờ 00 phút, ngày 09/03/2026",
        "6. Đăng ký nhận kết quả tại: Trực tiếp tại Trung tâm PVHCC tỉnh",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "tiepnhan",
    ]:
        assert expected in text
    assert_lookup_qr(data, dossier, PORTAL)


def test_01_receipt_default_lookup_address_and_only_once_received(world):
    dossier = new_dossier(world)
    with pytest.raises(ValueError):
        receipt_pdf(dossier)
    dossier = services.receive(dossier, world.desk_officer, at=at("2026-03-02T10:00:00+07:00"))
    data = receipt_pdf(dossier)
    assert f"http://127.0.0.1:8000/tra-cuu/{CODE}" in text_of(data)
    assert_lookup_qr(data, dossier, "http://127.0.0.1:8000")


def test_02_supplement_at_reception(world):
    w = world
    dossier = services.request_supplement(
        new_dossier(w),
        w.desk_officer,
        items=["Bản sao Giấy khai sinh", "Ảnh chân dung 4x6"],
        guidance="Nộp bản sao có chứng thực hoặc bản chụp kèm bản chính để đối chiếu.",
        at=at("2026-03-02T09:30:00+07:00"),
    )
    data = supplement_pdf(dossier.supplement_requests.get(), base_url=PORTAL)
    text = text_of(data)
    for expected in [
        "Mẫu số 02",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Số: 260302-0001-1/YCBS",
        "Bắc Ninh, ngày 02 tháng 3 năm 2026",
        "Tiếp nhận hồ sơ của: Nguyễn Văn An",
        "Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
        "Bản sao Giấy khai sinh",
        "Ảnh chân dung 4x6",
        "Hướng dẫn: Nộp bản sao có chứng thực",
        "Trung tâm PVHCC tỉnh",
        "NGƯỜI HƯỚNG DẪN",
    ]:
        assert expected in text
    assert "tạm dừng" not in text  # at reception no clock runs yet
    assert_lookup_qr(data, dossier, PORTAL)


def test_02_supplement_during_processing_pauses_the_clock(world):
    w = world
    dossier = services.request_supplement(
        received(w),
        w.specialist,
        items=["Văn bản thẩm định"],
        guidance="Bổ sung văn bản thẩm định.",
        at=at("2026-03-03T08:00:00+07:00"),
    )
    text = text_of(supplement_pdf(dossier.supplement_requests.get()))
    assert "Thời gian giải quyết hồ sơ tạm dừng từ 08 giờ 00 phút, ngày 03/03/2026" in text
    assert "chuyenvien" in text


def test_03_refusal_at_reception_lists_each_reason(world):
    w = world
    dossier = services.refuse(
        new_dossier(w),
        w.desk_officer,
        reason="Hồ sơ không thuộc thẩm quyền giải quyết\n- Tờ khai không đúng mẫu",
        at=at("2026-03-02T14:15:00+07:00"),
    )
    data = refusal_pdf(dossier, base_url=PORTAL)
    text = text_of(data)
    for expected in [
        "Mẫu số 03",
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Số: 260302-0001/TCHS",
        "Tiếp nhận hồ sơ của: Nguyễn Văn An",
        "Hồ sơ không thuộc thẩm quyền giải quyết",
        "Tờ khai không đúng mẫu",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
    ]:
        assert expected in text
    assert "- Tờ khai" not in text
    assert_lookup_qr(data, dossier, PORTAL)


def test_03_refusal_for_a_declined_dossier_is_signed_by_the_head(world):
    w = world
    dossier = services.decline(
        received(w),
        w.leader,
        reason="Không đủ điều kiện cấp phép",
        at=at("2026-03-03T09:00:00+07:00"),
    )
    text = text_of(refusal_pdf(dossier))
    assert "Không đủ điều kiện cấp phép" in text
    assert "Thời gian nhận hồ sơ: 10 giờ 00 phút, ngày 02/03/2026" in text
    assert "Bắc Ninh, ngày 03 tháng 3 năm 2026" in text
    assert "THỦ TRƯỞNG CƠ QUAN" in text and "giamdoc" in text


def test_03_no_refusal_sheet_for_a_dossier_in_progress(world):
    with pytest.raises(ValueError):
        refusal_pdf(received(world))


def test_04_apology_for_an_extension(world):
    w = world
    dossier = services.extend(
        received(w),
        w.leader,
        new_due_at=at("2026-03-11T10:00:00+07:00"),
        apology="Cần lấy ý kiến của cơ quan phối hợp.",
        at=at("2026-03-09T09:00:00+07:00"),
    )
    data = apology_pdf(dossier.apologies.get(), base_url=PORTAL)
    text = text_of(data)
    for expected in [
        "Mẫu số 04",
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "SỞ TƯ PHÁP",
        "Số: 260302-0001-1/PXL",
        "Bắc Ninh, ngày 09 tháng 3 năm 2026",
        "Ngày 02/03/2026, Sở Tư pháp tiếp nhận hồ sơ của:",
        "Ông/Bà: Nguyễn Văn An",
        "Thời hạn trả kết quả giải quyết hồ sơ: 10 giờ 00 phút, ngày 09/03/2026",
        "Lý do: Cần lấy ý kiến của cơ quan phối hợp.",
        "10 giờ 00 phút, ngày 11/03/2026",
        "THỦ TRƯỞNG CƠ QUAN",
        "giamdoc",
    ]:
        assert expected in text
    assert_lookup_qr(data, dossier, PORTAL)


def test_04_apology_for_a_second_supplement_request(world):
    """Signed by the head of the requester's agency, the provincial centre (VP 13.2)."""
    w = world
    dossier = services.request_supplement(
        new_dossier(w), w.desk_officer, items=["Tờ khai"], guidance="Ký tờ khai."
    )
    dossier = services.resubmit(dossier, w.citizen)
    dossier = services.request_supplement(
        dossier,
        w.desk_officer,
        items=["Ảnh 4x6"],
        guidance="Nộp ảnh.",
        apology="Lần hướng dẫn trước chưa nêu đủ giấy tờ.",
        apology_signer=w.centre_director,
    )
    text = text_of(apology_pdf(dossier.apologies.get()))
    assert "TRUNG TÂM PVHCC" in text and "UBND TỈNH" in text
    assert "Lý do: Lần hướng dẫn trước chưa nêu đủ giấy tờ." in text
    assert "Thời hạn sẽ được hẹn lại khi Ông/Bà nộp đủ hồ sơ bổ sung." in text
    assert "giamdoc.tt" in text
