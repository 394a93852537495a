"""The tabular sheets, in the form set of the active profile (``form_sets``): the control sheet
of one dossier (Mẫu 05 of Circular 01/2018/TT-VPCP, Mẫu 06 of Circular 03/2025/TT-VPCP) and an
agency's reception log (Mẫu 06, resp. Mẫu 07)."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from motcua.catalogue.models import Agency
from motcua.dossiers.models import Dossier, DossierStep, Status

from .context import applicant_name, dossier_sheet, parent_name, person, place, sheet_number
from .form_sets import active_form_set
from .formatting import LOCAL_TZ, day, moment, status, timeliness
from .layout import Sheet, Table, Text, render
from .qr import DEFAULT_BASE_URL

STEP_HEADINGS = [
    "TT",
    "Bước xử lý",
    "Đơn vị",
    "Cán bộ xử lý",
    "Nhận hồ sơ",
    "Hạn xử lý",
    "Hoàn thành",
    "Kết quả",
]
STEP_WIDTHS = [7, 27, 25, 22, 23, 23, 23, 20]

LOG_HEADINGS = [
    "STT",
    "Mã hồ sơ",
    "Thủ tục hành chính",
    "Tổ chức, cá nhân",
    "Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Trả kết quả",
    "Ghi chú",
]
LOG_WIDTHS = [10, 49, 42, 36, 30, 30, 30, 30]  # a whole code, and a time on two lines


def control_sheet_pdf(
    dossier: Dossier,
    *,
    base_url: str = DEFAULT_BASE_URL,
    issued_at: datetime | None = None,
) -> bytes:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ, one row per step of the dossier's process:
    who, received, due, done, and how timely."""
    if dossier.received_at is None:
        raise ValueError("Only a received dossier has a control sheet.")
    forms = active_form_set()
    steps = list(
        dossier.steps.select_related("process_step", "agency", "assignee", "done_by").order_by(
            "order"
        )
    )
    body = [
        Text(f"Cơ quan (bộ phận) giải quyết hồ sơ: {dossier.agency.name}"),
    ]
    partners = sorted({s.agency.name for s in steps if s.process_step.is_handoff})
    if partners:
        body.append(Text(f"Cơ quan phối hợp giải quyết hồ sơ: {', '.join(partners)}"))
    body += [
        Text(f"Người nộp hồ sơ: {applicant_name(dossier)}"),
        Text(f"Thủ tục: {dossier.procedure.name}"),
        Text(f"Nhận hồ sơ: {moment(dossier.received_at)}"),
        Text(f"Hẹn trả kết quả: {moment(dossier.due_at)}"),
    ]
    if dossier.original_due_at and dossier.original_due_at != dossier.due_at:
        body.append(Text(f"Hẹn trả kết quả lần đầu: {moment(dossier.original_due_at)}"))
    body.append(Table(STEP_HEADINGS, STEP_WIDTHS, [_step_row(s) for s in steps]))
    if dossier.timeliness:
        body.append(Text(f"Kết quả giải quyết hồ sơ: {timeliness(dossier.timeliness)}", "B"))
    return dossier_sheet(
        dossier,
        base_url=base_url,
        **forms.heading(forms.control_sheet),
        issued_on=issued_at or timezone.now(),
        subtitles=[
            f"Mã hồ sơ: {dossier.code}",
            f"(Kèm theo {forms.receipt.title} số: {sheet_number(dossier, 'TNHS')})",
        ],
        body=body,
    )


def _step_row(step: DossierStep) -> list[str]:
    if step.state == DossierStep.State.DONE:
        result = timeliness(step.timeliness)
    elif step.state == DossierStep.State.ACTIVE:
        result = "Đang xử lý"
    else:
        result = ""
    return [
        str(step.order),
        step.process_step.name,
        step.agency.name,
        person(step.done_by or step.assignee),
        moment(step.started_at),
        moment(step.due_at),
        moment(step.done_at),
        result,
    ]


def received_between(agency: Agency, start: date, end: date):
    """The agency's dossiers received from ``start`` to ``end`` inclusive (local days), in
    the order they were received: the rows of its reception log."""
    return (
        Dossier.objects.filter(
            agency=agency,
            received_at__gte=_local_midnight(start),
            received_at__lt=_local_midnight(end + timedelta(days=1)),
        )
        .select_related("procedure", "applicant")
        .order_by("received_at", "id")
    )


def _local_midnight(value: date) -> datetime:
    return datetime.combine(value, time.min, tzinfo=LOCAL_TZ)


def reception_log_pdf(
    agency: Agency,
    dossiers: Iterable[Dossier],
    start: date,
    end: date,
    *,
    issued_at: datetime | None = None,
) -> bytes:
    """Sổ theo dõi hồ sơ of ``agency`` from ``start`` to ``end`` (see ``received_between``
    for the usual rows)."""
    forms = active_form_set()
    rows = [_log_row(number, d) for number, d in enumerate(dossiers, start=1)]
    return render(
        Sheet(
            **forms.heading(forms.reception_log),
            agency=agency.name,
            parent=parent_name(agency),
            place=place(),
            issued_on=issued_at or timezone.now(),
            subtitles=[f"Từ ngày {day(start)} đến ngày {day(end)}", f"Số hồ sơ: {len(rows)}"],
            body=[Table(LOG_HEADINGS, LOG_WIDTHS, rows)],
            landscape=True,
        )
    )


def _log_row(number: int, dossier: Dossier) -> list[str]:
    note = status(dossier.status)
    if dossier.timeliness:
        note = f"{note} ({timeliness(dossier.timeliness).lower()})"
    returned = dossier.finished_at if dossier.status == Status.RETURNED else None
    return [
        str(number),
        dossier.code or "",
        dossier.procedure.name,
        applicant_name(dossier),
        moment(dossier.received_at),
        moment(dossier.due_at),
        moment(returned),
        note,
    ]
