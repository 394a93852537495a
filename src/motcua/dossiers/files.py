"""Documents of a dossier: the applicant's uploads and the desk's scans (SPEC §3 items 3,
11). Every file is checked against its component (format by content, size limit), stored
through Django's storage API and recorded with its SHA-256 checksum; a scan also records the
officer and the QR payload of Circular 01/2023/TT-VPCP, and keeps beside the officer's file a
copy stamped with that QR code."""

import json
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalogue.models import Component
from motcua.documents.stamp import STAMPABLE, StampError, stamp_scan
from motcua.operations.antivirus import check_clean

from .errors import RuleViolation
from .models import Dossier, DossierFile

logger = logging.getLogger(__name__)

#: Leading bytes of the formats a component may accept.
SIGNATURES = {
    "pdf": [b"%PDF-"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "doc": [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"],
    "xls": [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"],
    "docx": [b"PK\x03\x04"],
    "xlsx": [b"PK\x03\x04"],
}


def sniff(content: bytes, formats: list[str]) -> str | None:
    """The accepted format the content really is (by its leading bytes), if any."""
    for fmt in formats:
        if any(content.startswith(magic) for magic in SIGNATURES.get(fmt, [])):
            return fmt
    return None


def check_upload(component: Component, name: str, content: bytes) -> str:
    """The file's format, or a :class:`RuleViolation` saying what is wrong (VP 11.1); an
    infected file, or one the virus scanner could not check, is refused too (TN 11)."""
    if len(content) > component.max_size_mb * 1024 * 1024:
        raise RuleViolation(
            _("%(name)s is larger than %(size)s MB.")
            % {"name": name, "size": component.max_size_mb},
            code="file_too_large",
            fields={f"component_{component.pk}": [_("Too large.")]},
        )
    fmt = sniff(content, component.formats)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if fmt is None or extension not in component.formats:
        raise RuleViolation(
            _("%(name)s is not an accepted file (%(formats)s).")
            % {"name": name, "formats": ", ".join(component.formats)},
            code="file_type",
            fields={f"component_{component.pk}": [_("Wrong type.")]},
        )
    check_clean(name, content, f"component_{component.pk}")
    return fmt


def scan_payload(dossier: Dossier, component: Component, at) -> str:
    """What the QR stamped on a scan carries (Circular 01/2023/TT-VPCP): dossier code,
    procedure code, applicant ID, document name and time."""
    applicant = dossier.applicant
    return json.dumps(
        {
            "ma_ho_so": dossier.code or str(dossier.public_id),
            "ma_thu_tuc": dossier.procedure.national_code,
            "ma_dinh_danh": applicant.personal_id or applicant.tax_code,
            "ten_giay_to": component.name,
            "thoi_gian": timezone.localtime(at).isoformat(timespec="seconds"),
        },
        ensure_ascii=False,
    )


@transaction.atomic
def attach(
    dossier: Dossier, component: Component, name: str, content: bytes, *, by, scanned: bool = False
) -> DossierFile:
    """Store one document of a dossier after checking it against its component; a scan
    also gets its QR payload and, when its format can carry one, a stamped copy."""
    if component.procedure_id != dossier.procedure_id:
        raise RuleViolation(_("This document is not part of the procedure."), code="component")
    fmt = check_upload(component, name, content)
    record = DossierFile(
        dossier=dossier,
        component=component,
        file_format=fmt,
        size=len(content),
        scanned=scanned,
    )
    record.store(name, content, fmt, by=by)
    if scanned:
        record.scan_qr = scan_payload(dossier, component, record.uploaded_at)
        if fmt in STAMPABLE:
            _store_stamped(record, content, fmt)
    record.save()
    return record


def _store_stamped(record: DossierFile, content: bytes, fmt: str) -> None:
    """The stamped copy of a scan. A file that cannot be stamped (an unreadable or encrypted
    PDF) keeps only the officer's original and its recorded payload."""
    try:
        stamped = stamp_scan(content, fmt, record.scan_qr)
    except StampError as error:
        logger.warning(
            "scan not stamped",
            extra={"dossier": str(record.dossier.public_id), "reason": str(error)},
        )
        return
    record.store_stamped(stamped, fmt)
