"""The two sets of official forms a province profile can print in (``[documents] form_set``):

- ``tt01-2018``: Circular 01/2018/TT-VPCP of 23/11/2018, guiding NĐ 61/2018/NĐ-CP
  (Mẫu 01–06);
- ``tt03-2025``: Circular 03/2025/TT-VPCP of 15/9/2025, Appendix I, guiding NĐ 118/2025/NĐ-CP,
  which replaced NĐ 61/2018 from 1 July 2025 (Mẫu 01–07: the apology became Mẫu 04 "Văn bản
  xin lỗi và đề nghị gia hạn thời gian giải quyết", Mẫu 05 is the notice that settlement
  stops, so the control sheet and the log moved to Mẫu 06 and 07; the desk is the
  "Bộ phận Một cửa").

Everything that differs between the sets is data here; each sheet is built once, in
``sheets`` and ``registers``."""

from dataclasses import dataclass

from motcua.profiles import active_profile


@dataclass(frozen=True)
class Form:
    number: str  # "Mẫu số 01"
    title: str


@dataclass(frozen=True)
class FormSet:
    key: str
    circular: str  # named in the PDF's subject
    basis: str  # printed under the form number
    desk: str  # what the one-stop desk is called on the sheets
    receipt: Form
    supplement: Form
    refusal: Form
    apology: Form
    control_sheet: Form
    reception_log: Form
    apology_promise: str  # the apology's last sentence before the new date

    def heading(self, form: Form) -> dict:
        """The ``Sheet`` fields that name the form."""
        return {"form": form.number, "title": form.title, "basis": self.basis}


RECEIPT = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
SUPPLEMENT = "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
REFUSAL = "Phiếu từ chối tiếp nhận giải quyết hồ sơ"
CONTROL_SHEET = "Phiếu kiểm soát quá trình giải quyết hồ sơ"
RECEPTION_LOG = "Sổ theo dõi hồ sơ"

FORM_SETS = {
    "tt01-2018": FormSet(
        key="tt01-2018",
        circular="Thông tư số 01/2018/TT-VPCP",
        basis="(Kèm theo Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ)",
        desk="Bộ phận tiếp nhận và trả kết quả",
        receipt=Form("Mẫu số 01", RECEIPT),
        supplement=Form("Mẫu số 02", SUPPLEMENT),
        refusal=Form("Mẫu số 03", REFUSAL),
        apology=Form("Mẫu số 04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
        control_sheet=Form("Mẫu số 05", CONTROL_SHEET),
        reception_log=Form("Mẫu số 06", RECEPTION_LOG),
        apology_promise="xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào:",
    ),
    "tt03-2025": FormSet(
        key="tt03-2025",
        circular="Thông tư số 03/2025/TT-VPCP",
        basis=(
            "(Kèm theo Thông tư số 03/2025/TT-VPCP ngày 15/9/2025 của Bộ trưởng, "
            "Chủ nhiệm Văn phòng Chính phủ)"
        ),
        desk="Bộ phận Một cửa",
        receipt=Form("Mẫu số 01", RECEIPT),
        supplement=Form("Mẫu số 02", SUPPLEMENT),
        refusal=Form("Mẫu số 03", REFUSAL),
        apology=Form("Mẫu số 04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
        control_sheet=Form("Mẫu số 06", CONTROL_SHEET),
        reception_log=Form("Mẫu số 07", RECEPTION_LOG),
        apology_promise=(
            "xin lỗi Ông/Bà và đề nghị gia hạn thời gian giải quyết hồ sơ; kết quả giải "
            "quyết hồ sơ sẽ được trả cho Ông/Bà vào:"
        ),
    ),
}


def active_form_set() -> FormSet:
    """The form set of the active province profile."""
    return FORM_SETS[active_profile().documents.form_set]
