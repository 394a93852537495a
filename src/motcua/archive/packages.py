"""Archival packages of closed dossiers for the agency archive (BN 16; TT 13/2023/TT-BNV
art. 3–5; SPEC §3 item 19).

One package is one BagIt bag (RFC 8493) in a ZIP file, for one agency and one period of
closing dates (first and last day included, in the province's time zone)::

    <identifier>/bagit.txt, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt
    <identifier>/data/index.json, index.csv      the list of the dossiers
    <identifier>/data/<dossier code>/metadata.json
    <identifier>/data/<dossier code>/files/…     documents, stamped scans, result

Rules:

- *Which dossiers.* Those in a final state whose ``finished_at`` (or, for a record without
  one, its last history event) falls in the period, handled by the agency, by the units
  inside it or by an agency merged into it (their records pass to the successor's archive);
  not those of subordinate agencies of another level (departments, communes), which keep
  archives of their own.
- *Each dossier once.* A dossier handed over stays in its package (:class:`ArchivedDossier`):
  a later export of an overlapping period takes only what is not yet archived, and an
  export with nothing new is refused (the earlier package can be downloaded again).
- *Integrity.* Every stored file is hashed while it is copied and compared with the checksum
  recorded at upload; any difference or missing file refuses the whole export, naming the
  file. The bag is validated before the package is kept.
- *Only finished periods*: the last day must be before today.
"""

from __future__ import annotations

import csv
import hashlib
import json
import tempfile
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import bagit
from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.audit import services as audit
from motcua.catalogue.models import Agency
from motcua.dossiers.models import FINAL_STATES, Dossier, DossierEvent

from .models import ArchivedDossier, ArchiveExport
from .retention import Period, period_for

#: Who makes and downloads the packages of their own agency: the head, the clerk who keeps
#: the agency's records, and its administrator.
ARCHIVE_ROLES = frozenset({Role.AGENCY_LEADER, Role.CLERK, Role.AGENCY_ADMIN})

CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """An export refused; nothing was written. ``code`` is stable, ``fields`` names the
    inputs at fault."""

    def __init__(self, message: str, *, code: str, fields: dict | None = None):
        self.message = str(message)
        self.code = code
        self.fields = fields or {}
        super().__init__(self.message)


def may_archive(user, agency: Agency) -> bool:
    """Whether ``user`` makes and reads the archive packages of ``agency``."""
    return (
        user.is_authenticated
        and user.is_active
        and user.is_staff_member
        and user.role in ARCHIVE_ROLES
        and user.agency_id == agency.pk
    )


def archive_scope(agency: Agency) -> list[int]:
    """The agency, the units inside it and the agencies merged into it (with theirs)."""
    ids, frontier = {agency.pk}, [agency.pk]
    while frontier:
        frontier = list(
            Agency.objects.filter(
                Q(parent_id__in=frontier, level=Agency.Level.UNIT) | Q(merged_into_id__in=frontier)
            )
            .exclude(id__in=ids)
            .values_list("id", flat=True)
        )
        ids.update(frontier)
    return sorted(ids)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def check_period(start: date, end: date) -> None:
    """A period runs forwards and is over (its last day is before today)."""
    if end < start:
        raise ArchiveError(
            _("The last day comes before the first day."),
            code="period_reversed",
            fields={"end": [_("Choose a day on or after the first day.")]},
        )
    if end >= timezone.localdate(timezone=_zone()):
        raise ArchiveError(
            _("Only a period that is over can be archived: the last day must be before today."),
            code="period_not_over",
            fields={"end": [_("Choose a day before today.")]},
        )


def closed_dossiers(agency: Agency, start: date, end: date, *, archived: bool = False):
    """Closed dossiers of the agency's archive whose closing falls in the period; by
    default only those not yet in a package."""
    zone = _zone()
    low = datetime.combine(start, time.min, tzinfo=zone)
    high = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    last_event = DossierEvent.objects.filter(dossier=OuterRef("pk")).order_by("-at", "-id")
    return (
        Dossier.objects.filter(
            agency_id__in=archive_scope(agency),
            status__in=FINAL_STATES,
            archived__isnull=not archived,
        )
        .annotate(closed_at=Coalesce("finished_at", Subquery(last_event.values("at")[:1])))
        .filter(closed_at__gte=low, closed_at__lt=high)
        .order_by("closed_at", "code")
    )


def _when(value: datetime | None) -> str | None:
    return timezone.localtime(value, _zone()).isoformat() if value else None


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"username": user.username, "name": user.full_name or user.username}


def _agency(agency: Agency) -> dict:
    return {"code": agency.code, "name": agency.name}


def _copy_checked(field_file, expected: str, target: Path, label: str) -> int:
    """Copy a stored file while hashing it; refuse it unless it matches ``expected``."""
    digest, size = hashlib.sha256(), 0
    try:
        source = field_file.storage.open(field_file.name, "rb")
    except OSError:
        raise ArchiveError(
            _("File %(file)s is missing from the store: nothing was exported.") % {"file": label},
            code="file_missing",
        ) from None
    with source, target.open("wb") as out:
        for chunk in source.chunks(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if digest.hexdigest() != expected:
        raise ArchiveError(
            _(
                "File %(file)s does not match the checksum recorded when it was stored: "
                "nothing was exported."
            )
            % {"file": label},
            code="checksum_mismatch",
        )
    return size


def _files(dossier: Dossier, folder: Path) -> list[dict]:
    """Copy the dossier's documents, stamped scans and result into ``folder/files``."""
    folder.mkdir(parents=True)
    code = dossier.code or str(dossier.public_id)
    listed = []

    def add(field_file, sha256, name, kind, original_name, **extra):
        label = f"{code}/{original_name}"
        size = _copy_checked(field_file, sha256, folder / name, label)
        listed.append(
            {
                "path": f"files/{name}",
                "kind": kind,
                "original_name": original_name,
                "sha256": sha256,
                "size": size,
                **extra,
            }
        )

    for document in dossier.files.all():
        extension = document.file_format
        common = {
            "component": document.component.name,
            "uploaded_by": _person(document.uploaded_by),
            "uploaded_at": _when(document.uploaded_at),
        }
        add(
            document.file,
            document.sha256,
            f"document-{document.pk}.{extension}",
            "document",
            document.original_name,
            scanned=document.scanned,
            scan_qr=document.scan_qr,
            **common,
        )
        if document.stamped_file:
            add(
                document.stamped_file,
                document.stamped_sha256,
                f"document-{document.pk}-qr.{extension}",
                "stamped_scan",
                document.original_name,
                **common,
            )
    result = getattr(dossier, "result", None)
    if result is not None:
        add(
            result.file,
            result.sha256,
            f"result-{result.pk}.pdf",
            "result",
            result.original_name,
            signed=result.signed,
            signature=result.signature_summary,
            uploaded_by=_person(result.uploaded_by),
            uploaded_at=_when(result.uploaded_at),
        )
    return listed


def metadata(dossier: Dossier, files: list[dict], period: Period, retain_until: date | None):
    """What the archive keeps of a dossier besides its files (TT 13/2023/TT-BNV art. 3)."""
    procedure, applicant = dossier.procedure, dossier.applicant
    return {
        "code": dossier.code,
        "public_id": str(dossier.public_id),
        "procedure": {
            "national_code": procedure.national_code,
            "name": procedure.name,
            "field": procedure.field.name,
        },
        "agency": _agency(dossier.agency),
        "original_agency": _agency(dossier.original_agency),
        "applicant": {
            "name": applicant.full_name or dossier.form_data.get("full_name", ""),
            "kind": applicant.kind,
            "personal_id": applicant.personal_id,
            "tax_code": applicant.tax_code,
        },
        "submitter": _person(dossier.submitter),
        "authorisation": dossier.authorisation,
        "channel": dossier.channel,
        "channel_label": str(dossier.get_channel_display()),
        "form_data": dossier.form_data,
        "dates": {
            "submitted": _when(dossier.submitted_at),
            "received": _when(dossier.received_at),
            "due": _when(dossier.due_at),
            "first_due": _when(dossier.original_due_at),
            "result_ready": _when(dossier.result_ready_at),
            "fee_paid": _when(dossier.fee_paid_at),
            "finished": _when(dossier.finished_at),
            "closed": _when(dossier.closed_at),
        },
        "status": dossier.status,
        "status_label": str(dossier.get_status_display()),
        "timeliness": dossier.timeliness,
        "received_late": dossier.received_late,
        "supplement_count": dossier.supplement_count,
        "extension_count": dossier.extension_count,
        "events": [
            {
                "action": event.action,
                "label": str(event.action_label),
                "from": event.from_status,
                "to": event.to_status,
                "at": _when(event.at),
                "actor": _person(event.actor),
                "reason": event.reason,
                "data": event.data,
            }
            for event in dossier.events.all()
        ],
        "steps": [
            {
                "order": step.order,
                "name": step.process_step.name,
                "role": step.role,
                "unit": _agency(step.agency),
                "state": step.state,
                "assignee": _person(step.assignee),
                "started": _when(step.started_at),
                "due": _when(step.due_at),
                "done": _when(step.done_at),
                "done_by": _person(step.done_by),
                "timeliness": step.timeliness,
            }
            for step in dossier.steps.all()
        ],
        "supplement_requests": [
            {
                "stage": request.stage,
                "items": request.items,
                "guidance": request.guidance,
                "requested_by": _person(request.requested_by),
                "requested_at": _when(request.requested_at),
                "expires_at": _when(request.expires_at),
                "answered_at": _when(request.answered_at),
            }
            for request in dossier.supplement_requests.all()
        ],
        "apologies": [
            {
                "reason": apology.reason,
                "explanation": apology.explanation,
                "signed_by": _person(apology.signed_by),
                "signed_at": _when(apology.signed_at),
                "previous_due": _when(apology.previous_due_at),
                "new_due": _when(apology.new_due_at),
                "confirmed_by": _person(apology.confirmed_by),
                "confirmed_at": _when(apology.confirmed_at),
            }
            for apology in dossier.apologies.all()
        ],
        "files": files,
        "retention": {
            "years": period.years,
            "basis": period.basis,
            "until": retain_until.isoformat() if retain_until else None,
        },
    }


def _with_history(queryset):
    return queryset.select_related(
        "procedure__field",
        "procedure__retention",
        "agency",
        "original_agency",
        "applicant",
        "submitter",
        "result__uploaded_by",
    ).prefetch_related(
        "events__actor",
        "steps__process_step",
        "steps__agency",
        "steps__assignee",
        "steps__done_by",
        "files__component",
        "files__uploaded_by",
        "supplement_requests__requested_by",
        "apologies__signed_by",
        "apologies__confirmed_by",
    )


INDEX_COLUMNS = ["code", "procedure", "applicant", "status", "closed", "retain_until", "path"]


def _write_payload(agency, start, end, dossiers, root: Path) -> list[tuple[int, date | None]]:
    """Write every dossier's folder and the index into ``root``; return (dossier id, kept
    until) per dossier."""
    rows, kept = [], []
    for dossier in dossiers:
        code = dossier.code or str(dossier.public_id)
        closed_on = timezone.localtime(dossier.closed_at, _zone()).date()
        period = period_for(dossier.procedure)
        until = period.until(closed_on)
        folder = root / code
        files = _files(dossier, folder / "files")
        record = metadata(dossier, files, period, until)
        (folder / "metadata.json").write_text(
            json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        rows.append(
            {
                "code": code,
                "procedure": dossier.procedure.national_code,
                "applicant": record["applicant"]["name"],
                "status": dossier.status,
                "closed": _when(dossier.closed_at),
                "retain_until": until.isoformat() if until else "",
                "path": f"{code}/metadata.json",
            }
        )
        kept.append((dossier.pk, until))
    index = {
        "agency": _agency(agency),
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "dossier_count": len(rows),
        "dossiers": rows,
    }
    (root / "index.json").write_text(
        json.dumps(index, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    with (root / "index.csv").open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=INDEX_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return kept


def _zip(bag_dir: Path, target: Path) -> str:
    """The bag folder in a ZIP file; the ZIP's SHA-256."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(bag_dir.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(bag_dir.parent).as_posix())
    digest = hashlib.sha256()
    with target.open("rb") as package:
        for chunk in iter(lambda: package.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _bag_info(agency: Agency, start: date, end: date, identifier: str, actor) -> dict:
    info = {
        "Source-Organization": agency.name,
        "External-Identifier": identifier,
        "External-Description": _(
            "Closed electronic dossiers of administrative procedures handed over to the "
            "agency archive (BN 16; TT 13/2023/TT-BNV)"
        ),
        "Internal-Sender-Identifier": agency.code,
        "Internal-Sender-Description": f"{start:%d/%m/%Y} – {end:%d/%m/%Y}",
    }
    if agency.address:
        info["Organization-Address"] = agency.address
    if agency.email:
        info["Contact-Email"] = agency.email
    if actor is not None and getattr(actor, "is_authenticated", False):
        info["Contact-Name"] = actor.full_name or actor.username
    return info


def export(agency: Agency, start: date, end: date, *, actor) -> ArchiveExport:
    """Make the package of the agency's closed dossiers of the period and keep it (file
    storage, :class:`ArchiveExport`, one :class:`ArchivedDossier` per dossier, one audit
    entry), or raise :class:`ArchiveError` and keep nothing. ``actor`` is the staff member,
    or a label when run from the command line."""
    if getattr(actor, "is_authenticated", False) and not may_archive(actor, agency):
        raise ArchiveError(_("You do not keep this agency's archive."), code="forbidden")
    check_period(start, end)
    created_at = timezone.now()
    number = ArchiveExport.objects.filter(agency=agency).count() + 1
    identifier = f"{agency.code}_{start:%Y%m%d}-{end:%Y%m%d}_{number:03d}"
    with translation.override(settings.LANGUAGE_CODE), tempfile.TemporaryDirectory() as tmp:
        dossiers = _with_history(closed_dossiers(agency, start, end)).iterator(chunk_size=200)
        bag_dir = Path(tmp) / identifier
        bag_dir.mkdir()
        kept = _write_payload(agency, start, end, dossiers, bag_dir)
        if not kept:
            already = closed_dossiers(agency, start, end, archived=True).count()
            raise ArchiveError(
                _(
                    "No closed dossier of this period is waiting to be archived "
                    "(%(count)s already are, in earlier packages)."
                )
                % {"count": already},
                code="nothing_to_export",
            )
        bag = bagit.make_bag(
            str(bag_dir), _bag_info(agency, start, end, identifier, actor), checksums=["sha256"]
        )
        try:
            bag.validate()
        except bagit.BagError as error:
            raise ArchiveError(
                _("The package failed its own check: %(error)s") % {"error": error},
                code="bag_invalid",
            ) from None
        package_path = Path(tmp) / f"{identifier}.zip"
        sha256 = _zip(bag_dir, package_path)
        return _keep(agency, start, end, identifier, package_path, sha256, kept, actor, created_at)


def _keep(agency, start, end, identifier, package_path, sha256, kept, actor, created_at):
    """Record the package and its dossiers in one transaction; if that fails (e.g. another
    export of the agency was made at the same time) the stored file is removed again."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    record = ArchiveExport(
        agency=agency,
        period_start=start,
        period_end=end,
        identifier=identifier,
        sha256=sha256,
        size=package_path.stat().st_size,
        dossier_count=len(kept),
        created_by=user,
        created_at=created_at,
    )
    with package_path.open("rb") as package:
        record.package.save(package_path.name, File(package), save=False)
    try:
        with transaction.atomic():
            record.save()
            ArchivedDossier.objects.bulk_create(
                ArchivedDossier(dossier_id=pk, export=record, retain_until=until)
                for pk, until in kept
            )
            audit.record(
                actor,
                "archive.export",
                record,
                {
                    "agency": agency.code,
                    "from": start,
                    "to": end,
                    "dossiers": len(kept),
                    "sha256": sha256,
                },
            )
    except Exception as error:
        record.package.delete(save=False)
        if isinstance(error, IntegrityError):
            raise ArchiveError(
                _("Another export of this agency was made at the same time: try again."),
                code="concurrent_export",
            ) from None
        raise
    return record


def copy_to(record: ArchiveExport, folder: Path) -> Path:
    """Write the kept package into ``folder``, checked against its recorded checksum."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / record.filename
    _copy_checked(record.package, record.sha256, target, record.filename)
    return target


def open_package(record: ArchiveExport, *, actor, request=None):
    """The package's file, opened for reading; each download is audited."""
    package = record.package.storage.open(record.package.name, "rb")
    audit.record(actor, "archive.download", record, {"agency": record.agency.code}, request)
    return package
