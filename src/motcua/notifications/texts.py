"""What the applicant is told at each change they must know (SPEC §3 item 9): received with
the appointment and any fee due, supplement requested, late with an apology and a new date,
result ready, refused or declined with the reason, and so on. Official notices to citizens are
written in Vietnamese whatever language the site is read in, like the sheets of Circular
01/2018/TT-VPCP."""

import unicodedata
from datetime import datetime

from motcua.documents.formatting import moment, vnd
from motcua.dossiers.models import Dossier, DossierEvent

_D = str.maketrans({"đ": "d", "Đ": "D"})


def _fee(dossier: Dossier) -> str:
    if dossier.fee_paid_at is None and dossier.fee_due > 0:
        return f" Phí, lệ phí phải nộp: {vnd(dossier.fee_due)}."
    return ""


def _reason(event: DossierEvent) -> str:
    reason = (event.reason or "").strip().rstrip(".")
    return f" Lý do: {reason}." if reason else ""


def notice(dossier: Dossier, event: DossierEvent, *, due_at: str | None = None) -> str | None:
    """The notice for one history event, or ``None`` when the action has none. ``due_at`` is
    the appointment when the event happened (ISO text, as the outbox payload carries it)."""
    code = f"Hồ sơ {dossier.code}"
    due = moment(datetime.fromisoformat(due_at)) if due_at else moment(dossier.due_at)
    texts = {
        "submit": f"{code} đã được nộp và đang chờ tiếp nhận.",
        "receive": f"{code} đã được tiếp nhận. Hẹn trả kết quả: {due}.{_fee(dossier)}",
        "request_supplement": (
            f"{code} cần bổ sung, hoàn thiện.{_reason(event)} Xem hướng dẫn trên Cổng dịch vụ công."
        ),
        "resubmit": f"{code} đã được bổ sung. Hẹn trả kết quả: {due}.",
        "refuse": f"{code} bị từ chối tiếp nhận.{_reason(event)}",
        "extend": (
            f"Xin lỗi ông/bà: {code} chưa giải quyết xong đúng hẹn. "
            f"Hẹn lại ngày trả kết quả: {due}.{_reason(event)}"
        ),
        "confirm_extension": f"{code}: ngày hẹn mới {due} đã được xác nhận.",
        "decline": f"{code} không được giải quyết.{_reason(event)}",
        "complete": f"{code} đã có kết quả.{_fee(dossier)}",
        "return_result": f"Kết quả của {code} đã được trả.",
        "withdraw": f"{code} đã được rút theo đề nghị.",
        "timeout": f"{code} đã bị hủy do không bổ sung trong thời hạn.",
        "expire": f"Kết quả của {code} hết hạn nhận do không nộp bản gốc đúng hạn.",
        "pay": f"{code}: đã nhận phí, lệ phí {vnd(event.data.get('amount', 0))}.",
        "agency_merged": f"{code} được chuyển sang {dossier.agency.name} sau khi sắp xếp cơ quan.",
    }
    return texts.get(event.action)


def unaccented(text: str) -> str:
    """SMS text without diacritics (one 160-character segment holds more)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def feedback_answered(tracking_code: str) -> str:
    """The sender of a feedback (PAKN) learns it has been answered (BN 17.2)."""
    return (
        f"Phản ánh, kiến nghị mã {tracking_code} đã được trả lời. Tra cứu câu trả lời trên "
        "Cổng dịch vụ công bằng mã này."
    )
