"""How the official sheets write dates, times, numbers and labels (ND 30/2020/ND-CP
Appendix I for the place-and-date line; the official forms of ``form_sets`` for the rest)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

#: Every sheet shows Vietnamese civil time, whatever the server's zone.
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

TIMELINESS = {"early": "Sớm hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}

STATUS = {
    "draft": "Nháp",
    "submitted": "Chờ tiếp nhận",
    "processing": "Đang giải quyết",
    "awaiting_supplement": "Chờ bổ sung",
    "result_ready": "Có kết quả",
    "returned": "Đã trả kết quả",
    "refused": "Từ chối tiếp nhận",
    "declined": "Không giải quyết",
    "cancelled": "Đã hủy",
    "withdrawn": "Rút hồ sơ",
    "expired": "Hết hạn nhận kết quả",
}


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment, LOCAL_TZ) if timezone.is_aware(moment) else moment


def moment(value: datetime | None) -> str:
    """``10 giờ 05 phút, ngày 02/03/2026``; empty when there is no time."""
    if value is None:
        return ""
    value = local(value)
    return f"{value:%H} giờ {value:%M} phút, ngày {value:%d/%m/%Y}"


def day(value: date | datetime | None) -> str:
    """``02/03/2026``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value)
    return f"{value:%d/%m/%Y}"


def place_and_date(place: str, value: date | datetime) -> str:
    """``Bắc Ninh, ngày 02 tháng 3 năm 2026``: days below 10 and months below 3 take a
    leading zero (ND 30/2020/ND-CP Appendix I, section II.5)."""
    if isinstance(value, datetime):
        value = local(value)
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"{place}, ngày {value.day:02d} tháng {month} năm {value.year}"


def vnd(amount: int) -> str:
    """``1.250.000 đồng``."""
    return f"{amount:,} đồng".replace(",", ".")


def quantity(value: Decimal | int | float) -> str:
    """``5``, ``0,5``: no trailing zeros, decimal comma."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text.replace(".", ",")


def timeliness(value: str) -> str:
    return TIMELINESS.get(value, "")


def status(value: str) -> str:
    return STATUS.get(value, value)
