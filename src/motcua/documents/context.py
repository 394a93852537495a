"""What the sheets read off a dossier: who applied, who issues the sheet, where the desk is."""

from motcua.catalogue.models import Agency, OneStopDesk
from motcua.profiles import active_profile

from .layout import Sheet, Text, render
from .qr import lookup_url


def person(user) -> str:
    if user is None:
        return ""
    return user.full_name or user.get_username()


def applicant_name(dossier) -> str:
    """The name declared on the e-form, else the account's name."""
    return str(dossier.form_data.get("full_name") or "").strip() or person(dossier.applicant)


def parent_name(agency: Agency) -> str:
    """The governing agency printed above the issuing one (cơ quan chủ quản)."""
    return agency.parent.name if agency.parent_id else ""


def place() -> str:
    """The province the installation serves, as its sheets are dated."""
    return active_profile().province


def desk_for(agency: Agency) -> OneStopDesk | None:
    """The one-stop desk that receives for ``agency``."""
    return (
        OneStopDesk.objects.filter(is_active=True, served_agencies=agency).first()
        or agency.desks.filter(is_active=True).first()
    )


def applicant_lines(dossier) -> list[Text]:
    """Applicant, contact and request: the opening lines of Mẫu 01–03."""
    form, user = dossier.form_data, dossier.applicant
    lines = [f"Tiếp nhận hồ sơ của: {applicant_name(dossier)}"]
    identity = form.get("id_number") or user.personal_id or user.tax_code
    if identity:
        lines.append(f"Số định danh cá nhân/mã số thuế: {identity}")
    if form.get("address"):
        lines.append(f"Địa chỉ: {form['address']}")
    contact = [
        f"Số điện thoại: {phone}" for phone in [form.get("phone") or user.phone] if phone
    ] + [f"Email: {email}" for email in [form.get("email") or user.email] if email]
    if contact:
        lines.append("    ".join(contact))
    lines.append(f"Nội dung yêu cầu giải quyết: {dossier.procedure.name}")
    return [Text(line) for line in lines]


def last_event(dossier, *actions: str):
    return dossier.events.filter(action__in=actions).select_related("actor").last()


def sheet_number(dossier, kind: str, ordinal: int | None = None) -> str:
    """``260302-0001/TNHS``, ``260302-0001-2/YCBS``: the day and sequence of the dossier code
    stand in for an agency's register of sheets, which the System does not keep (the
    agency is the sheet's issuer); ``ordinal`` tells apart a dossier's sheets of one kind."""
    parts = dossier.code.rsplit("-", 2)
    stem = "-".join(parts[1:]) if len(parts) == 3 else dossier.code
    if ordinal is not None:
        stem = f"{stem}-{ordinal}"
    return f"{stem}/{kind}"


def dossier_sheet(dossier, *, base_url: str, agency: Agency | None = None, **fields) -> bytes:
    """A sheet about one dossier, issued by ``agency`` (default: the handling agency)."""
    agency = agency or dossier.agency
    return render(
        Sheet(
            agency=agency.name,
            parent=parent_name(agency),
            place=place(),
            code=dossier.code,
            url=lookup_url(dossier, base_url),
            **fields,
        )
    )
