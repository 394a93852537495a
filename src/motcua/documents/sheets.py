"""The official sheets as PDF bytes, in the form set of the active profile (``form_sets``: Circular
01/2018/TT-VPCP or 03/2025/TT-VPCP), each built as data for the shared layout
(``layout.render``): receipt, supplement request, refusal and apology (Mẫu 01–04 of both
sets) here, the control sheet and the reception log in ``registers``. Every dossier sheet
carries the dossier code and a QR code of its public lookup page
(``{base_url}/tra-cuu/{code}``)."""

from motcua.catalogue.models import Procedure
from motcua.dossiers.models import Apology, Channel, Dossier, SupplementRequest

from .context import (
    applicant_lines,
    applicant_name,
    desk_for,
    dossier_sheet,
    last_event,
    person,
    sheet_number,
)
from .form_sets import active_form_set
from .formatting import day, moment, quantity
from .layout import Numbered, Signer, Text
from .qr import DEFAULT_BASE_URL, lookup_url
from .registers import control_sheet_pdf, received_between, reception_log_pdf

__all__ = [
    "DEFAULT_BASE_URL",
    "apology_pdf",
    "control_sheet_pdf",
    "lookup_url",
    "receipt_pdf",
    "received_between",
    "reception_log_pdf",
    "refusal_pdf",
    "supplement_pdf",
]

HEAD = "THỦ TRƯỞNG CƠ QUAN"
HEAD_NOTE = "(Ký, ghi rõ họ tên và đóng dấu)"


def receipt_pdf(dossier: Dossier, *, base_url: str = DEFAULT_BASE_URL) -> bytes:
    """Mẫu 01 (both sets): Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""
    if dossier.received_at is None:
        raise ValueError("Only a received dossier has a receipt.")
    forms = active_form_set()
    procedure, desk = dossier.procedure, desk_for(dossier.agency)
    receiver = last_event(dossier, "receive")
    body = [
        Text(f"{forms.desk}: {desk.name if desk else dossier.agency.name}"),
        *applicant_lines(dossier),
        Text(f"Cơ quan giải quyết hồ sơ: {dossier.agency.name}"),
        Text("1. Thành phần hồ sơ nộp gồm:"),
        Numbered([_component(c) for c in procedure.components.all()] or ["(Không có)"]),
        Text("2. Số lượng hồ sơ: 01 (bộ)"),
        Text(
            "3. Thời gian giải quyết hồ sơ theo quy định là: "
            f"{quantity(procedure.processing_days)} ngày làm việc"
        ),
        Text(f"4. Thời gian nhận hồ sơ: {moment(dossier.received_at)}"),
        Text(f"5. Thời gian trả kết quả giải quyết hồ sơ: {moment(dossier.due_at)}"),
        Text(f"6. Đăng ký nhận kết quả tại: {_delivery(dossier, procedure, desk)}"),
    ]
    return dossier_sheet(
        dossier,
        base_url=base_url,
        **forms.heading(forms.receipt),
        number=sheet_number(dossier, "TNHS"),
        issued_on=dossier.received_at,
        subtitles=[f"Mã hồ sơ: {dossier.code}"],
        body=body,
        signers=[
            Signer("NGƯỜI NỘP HỒ SƠ", name=applicant_name(dossier)),
            Signer("NGƯỜI TIẾP NHẬN HỒ SƠ", name=person(receiver and receiver.actor)),
        ],
    )


def _component(component) -> str:
    notes = [f"{component.copies:02d} bản"]
    if component.original_required:
        notes.append("xuất trình bản chính để đối chiếu")
    if not component.required:
        notes.append("nếu có")
    return f"{component.name} ({'; '.join(notes)})"


def _delivery(dossier: Dossier, procedure: Procedure, desk) -> str:
    """How the result is returned (SPEC §3 item 15)."""
    if dossier.channel == Channel.POSTAL:
        return "Qua dịch vụ bưu chính công ích, theo địa chỉ người nộp đăng ký"
    online = "Trực tuyến, qua tài khoản trên Cổng dịch vụ công"
    counter = desk.name if desk else dossier.agency.name
    if desk and desk.address:
        counter = f"{counter}, {desk.address}"
    if procedure.result_kind == Procedure.ResultKind.ELECTRONIC:
        return online
    if procedure.result_kind == Procedure.ResultKind.BOTH:
        return f"{online}; bản giấy nhận trực tiếp tại {counter}"
    return f"Trực tiếp tại {counter}"


def supplement_pdf(request: SupplementRequest, *, base_url: str = DEFAULT_BASE_URL) -> bytes:
    """Mẫu 02 (both sets): Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""
    forms = active_form_set()
    dossier = request.dossier
    desk = desk_for(dossier.agency)
    body = [
        *applicant_lines(dossier),
        Text("Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:"),
        Numbered(request.items),
        Text(f"Hướng dẫn: {request.guidance}"),
    ]
    if request.stage == SupplementRequest.Stage.PROCESSING:
        body.append(
            Text(
                f"Thời gian giải quyết hồ sơ tạm dừng từ {moment(request.requested_at)} "
                "cho đến khi Ông/Bà nộp đủ hồ sơ bổ sung."
            )
        )
    if request.expires_at:
        body.append(
            Text(
                f"Thời hạn bổ sung: trước {moment(request.expires_at)}; quá thời hạn này "
                "hồ sơ sẽ bị hủy."
            )
        )
    contact = desk.name if desk else dossier.agency.name
    if desk and desk.phone:
        contact = f"{contact}, số điện thoại {desk.phone}"
    body.append(
        Text(
            "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với "
            f"{contact} để được hướng dẫn."
        )
    )
    ordinal = dossier.supplement_requests.filter(pk__lte=request.pk).count()
    return dossier_sheet(
        dossier,
        base_url=base_url,
        **forms.heading(forms.supplement),
        number=sheet_number(dossier, "YCBS", ordinal),
        issued_on=request.requested_at,
        subtitles=[f"Mã hồ sơ: {dossier.code}"],
        body=body,
        signers=[Signer("NGƯỜI HƯỚNG DẪN", name=person(request.requested_by))],
    )


def refusal_pdf(dossier: Dossier, *, base_url: str = DEFAULT_BASE_URL) -> bytes:
    """Mẫu 03 (both sets): Phiếu từ chối tiếp nhận giải quyết hồ sơ, with the reasons of the
    refusal at reception or of the decision not to settle (SPEC §2)."""
    event = last_event(dossier, "refuse", "decline")
    if event is None:
        raise ValueError("The dossier was neither refused nor declined.")
    forms = active_form_set()
    declined = event.action == "decline"
    desk = desk_for(dossier.agency)
    if declined:
        refuser = dossier.agency.name
        signer = Signer(HEAD, HEAD_NOTE, person(event.actor))
    else:
        refuser = desk.name if desk else forms.desk
        signer = Signer("NGƯỜI TIẾP NHẬN HỒ SƠ", name=person(event.actor))
    reasons = [line.strip(" -•\t") for line in event.reason.splitlines() if line.strip(" -•\t")]
    body = [*applicant_lines(dossier)]
    if dossier.received_at:
        body.append(Text(f"Thời gian nhận hồ sơ: {moment(dossier.received_at)}"))
    body += [
        Text(
            f"Qua xem xét, {refuser} từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ "
            "thể như sau:"
        ),
        Numbered(reasons),
        Text("Xin thông báo cho Ông/Bà được biết và thực hiện./."),
    ]
    return dossier_sheet(
        dossier,
        base_url=base_url,
        **forms.heading(forms.refusal),
        number=sheet_number(dossier, "TCHS"),
        issued_on=event.at,
        subtitles=[f"Mã hồ sơ: {dossier.code}"],
        body=body,
        signers=[signer],
    )


def apology_pdf(apology: Apology, *, base_url: str = DEFAULT_BASE_URL) -> bytes:
    """Mẫu 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả (Circular 01/2018/TT-VPCP), Văn bản
    xin lỗi và đề nghị gia hạn thời gian giải quyết (Circular 03/2025/TT-VPCP); signed by the
    head of the agency (VP 13.2, 14.1, 14.4)."""
    forms = active_form_set()
    dossier, signer = apology.dossier, apology.signed_by
    agency = signer.agency if signer.agency_id else dossier.agency
    name = agency.name
    previous = apology.previous_due_at or dossier.original_due_at
    body = [
        Text(
            f"Ngày {day(dossier.received_at or dossier.submitted_at)}, {name} tiếp nhận hồ sơ của:"
        ),
        Text(f"Ông/Bà: {applicant_name(dossier)}"),
        Text(f"Nội dung yêu cầu giải quyết: {dossier.procedure.name}"),
    ]
    if previous:
        body.append(Text(f"Thời hạn trả kết quả giải quyết hồ sơ: {moment(previous)}"))
    if apology.reason == Apology.Reason.REPEAT_SUPPLEMENT:
        body.append(
            Text(
                "Tuy nhiên, việc hướng dẫn bổ sung, hoàn thiện hồ sơ trước đây chưa đầy đủ, "
                f"nay {name} phải đề nghị Ông/Bà bổ sung thêm."
            )
        )
    else:
        body.append(
            Text(
                f"Tuy nhiên, {name} không thể trả kết quả giải quyết hồ sơ cho Ông/Bà đúng "
                f"thời hạn ghi trên {forms.receipt.title}."
            )
        )
    body += [
        Text(f"Lý do: {apology.explanation}"),
        Text(
            "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của Ông/Bà. "
            f"{name} {forms.apology_promise}"
        ),
        Text(
            moment(apology.new_due_at)
            if apology.new_due_at
            else "Thời hạn sẽ được hẹn lại khi Ông/Bà nộp đủ hồ sơ bổ sung.",
            style="B",
            align="C",
        ),
    ]
    if apology.confirmed_at:
        body.append(
            Text(
                f"Việc gia hạn đã được {person(apology.confirmed_by)} xác nhận lúc "
                f"{moment(apology.confirmed_at)}."
            )
        )
    body.append(Text("Mong nhận được sự thông cảm của Ông/Bà vì sự chậm trễ này."))
    ordinal = dossier.apologies.filter(pk__lte=apology.pk).count()
    return dossier_sheet(
        dossier,
        base_url=base_url,
        agency=agency,
        **forms.heading(forms.apology),
        number=sheet_number(dossier, "PXL", ordinal),
        issued_on=apology.signed_at,
        subtitles=[f"Mã hồ sơ: {dossier.code}"],
        body=body,
        signers=[Signer(HEAD, HEAD_NOTE, person(signer))],
    )
