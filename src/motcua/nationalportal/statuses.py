"""Our dossier statuses in the national public-service portal's terms (SPEC §3 item 22).

The national portal (Cổng Dịch vụ công quốc gia) keeps one status per dossier, the
``TrangThaiHoSo`` of its dossier synchronisation ("đồng bộ trạng thái hồ sơ"), coded 1–10.
Each change here is pushed as the code of the row ``(action, status)`` of :data:`TABLE`, or of
``(ANY, status)`` when the action has no row of its own: receiving is "2 Được tiếp nhận" although
the dossier is then processing, and the applicant's own withdrawal is "7" wherever it happens.
"""

from __future__ import annotations

from motcua.dossiers.models import Status

ANY = "*"

#: ``(action or ANY, our status) → (national code, national label)``. Code 6 ("Yêu cầu thực hiện
#: nghĩa vụ tài chính") has no action of ours: a fee is paid before reception or at the result
#: (TN 20.2, VP 15.4), without a request that changes the dossier's status.
TABLE: dict[tuple[str, str], tuple[str, str]] = {
    (ANY, Status.SUBMITTED): ("1", "Mới đăng ký"),
    ("receive", Status.PROCESSING): ("2", "Được tiếp nhận"),
    (ANY, Status.REFUSED): ("3", "Không được tiếp nhận"),
    (ANY, Status.PROCESSING): ("4", "Đang xử lý"),
    (ANY, Status.AWAITING_SUPPLEMENT): ("5", "Yêu cầu bổ sung giấy tờ"),
    (ANY, Status.WITHDRAWN): ("7", "Công dân yêu cầu rút hồ sơ"),
    (ANY, Status.DECLINED): ("8", "Dừng xử lý"),
    (ANY, Status.CANCELLED): ("8", "Dừng xử lý"),
    (ANY, Status.EXPIRED): ("8", "Dừng xử lý"),
    (ANY, Status.RESULT_READY): ("9", "Đã xử lý xong"),
    (ANY, Status.RETURNED): ("10", "Đã trả kết quả"),
}


class NoNationalStatus(LookupError):
    """The status has no national equivalent (a draft is never pushed)."""


def national_status(action: str, status: str) -> tuple[str, str]:
    """The national code and label of a change: ``action`` taking a dossier to ``status``."""
    try:
        return TABLE.get((action, status)) or TABLE[(ANY, status)]
    except KeyError:
        raise NoNationalStatus(f"{action} → {status}") from None
