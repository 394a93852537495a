"""The receipt of a fee paid online (biên lai thu phí, lệ phí; VP 15.5, TN 20.2), drawn with
the shared layout of the official sheets, with the dossier code and its lookup QR code."""

from motcua.documents.context import applicant_name, dossier_sheet, sheet_number
from motcua.documents.formatting import moment, vnd
from motcua.documents.layout import Table, Text
from motcua.documents.qr import DEFAULT_BASE_URL

from . import gateways
from .models import Payment

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu")


def _three(number: int, *, leading: bool) -> list[str]:
    """Words for 0–999; inside a larger number a group keeps its "không trăm" and "linh"."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words = []
    if hundreds or not leading:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 5 and tens > 0:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _words(number: int, *, leading: bool = True) -> list[str]:
    """Groups of three digits up to hundreds of millions; billions (tỷ) repeat the scale."""
    if number >= 10**9:
        billions, rest = divmod(number, 10**9)
        words = [*_words(billions, leading=leading), "tỷ"]
        return words + (_words(rest, leading=False) if rest else [])
    groups = [number // 10**6 % 1000, number // 1000 % 1000, number % 1000]
    words: list[str] = []
    for index, group in enumerate(groups):
        if not group:
            continue
        first = leading and not words
        words += _three(group, leading=first)
        if GROUPS[2 - index]:
            words.append(GROUPS[2 - index])
    return words


def amount_in_words(amount: int) -> str:
    """``Một trăm linh năm nghìn đồng``: the amount as written on receipts."""
    words = " ".join(_words(amount)) if amount else "không"
    return f"{words[0].upper()}{words[1:]} đồng"


def receipt_pdf(payment: Payment, *, base_url: str = DEFAULT_BASE_URL) -> bytes:
    """The receipt of a paid online payment, issued by the dossier's agency."""
    if payment.status != Payment.Status.PAID:
        raise ValueError("Only a paid payment has a receipt.")
    dossier = payment.dossier
    rows = [
        [str(number), item["name"], vnd(item["amount"])]
        for number, item in enumerate(payment.items, start=1)
    ]
    body = [
        Text(f"Người nộp: {applicant_name(dossier)}"),
        Text(f"Nội dung thu: phí, lệ phí giải quyết thủ tục “{dossier.procedure.name}”"),
        Table(headings=["STT", "Khoản thu", "Số tiền"], widths=[1, 8, 3], rows=rows),
        Text(f"Tổng số tiền: {vnd(payment.amount)}", style="B"),
        Text(f"Số tiền bằng chữ: {amount_in_words(payment.amount)}."),
        Text(f"Hình thức thanh toán: trực tuyến qua {gateways.label_of(payment.gateway)}"),
        Text(f"Mã giao dịch của Hệ thống: {payment.reference}"),
        Text(f"Mã giao dịch của cổng thanh toán: {payment.gateway_transaction}"),
        Text(f"Thời gian thanh toán: {moment(payment.verified_at)}"),
        Text(
            "Biên lai được lập từ xác nhận giao dịch có chữ ký của cổng thanh toán; "
            "hồ sơ được giải quyết tiếp theo căn cứ xác nhận này.",
            style="I",
        ),
    ]
    return dossier_sheet(
        dossier,
        base_url=base_url,
        form="Thanh toán trực tuyến",
        number=sheet_number(dossier, "BLTP"),
        issued_on=payment.verified_at,
        title="Biên lai thu phí, lệ phí",
        subtitles=[f"Mã hồ sơ: {dossier.code}"],
        body=body,
    )
