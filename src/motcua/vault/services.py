"""The DataVault's rules: what an applicant may keep, rename and remove, which e-results are
delivered to it, and how a kept document goes into a new dossier (SPEC §3 items 3, 6;
once-only principle, TN 7.2.d, TN 13.7; e-results after the fee, VP 16.1)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalogue.models import Component
from motcua.dossiers import files
from motcua.dossiers.errors import ActionForbidden, RuleViolation
from motcua.dossiers.models import Dossier, DossierFile, Status
from motcua.profiles import active_profile

from .models import VaultDocument

#: Dossier states in which the applicant may have the electronic result.
RESULT_STATES = frozenset({Status.RESULT_READY, Status.RETURNED})


def max_size_mb() -> int:
    """The largest document an applicant may keep (setting ``MOTCUA_VAULT_MAX_SIZE_MB``)."""
    return int(getattr(settings, "MOTCUA_VAULT_MAX_SIZE_MB", 20))


def documents_of(owner):
    """The owner's documents, newest first; removed ones are not shown."""
    return VaultDocument.objects.filter(owner=owner, deleted_at__isnull=True)


def check_document(name: str, content: bytes) -> str:
    """The document's format, judged by its content and its name, or a
    :class:`RuleViolation` on the ``file`` field (VP 11.1)."""
    if not content:
        raise RuleViolation(
            _("%(name)s is empty.") % {"name": name},
            code="file_empty",
            fields={"file": [_("%(name)s is empty.") % {"name": name}]},
        )
    if len(content) > max_size_mb() * 1024 * 1024:
        message = _("%(name)s is larger than %(size)s MB.") % {"name": name, "size": max_size_mb()}
        raise RuleViolation(message, code="file_too_large", fields={"file": [message]})
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    fmt = files.sniff(content, [extension]) if extension in Component.FORMATS else None
    if fmt is None:
        message = _("%(name)s is not an accepted file (%(formats)s).") % {
            "name": name,
            "formats": ", ".join(Component.FORMATS),
        }
        raise RuleViolation(message, code="file_type", fields={"file": [message]})
    return fmt


def upload(owner, name: str, content: bytes, *, title: str = "") -> VaultDocument:
    """Keep a document the applicant uploads, with its checksum."""
    fmt = check_document(name, content)
    document = VaultDocument(
        owner=owner,
        title=(title.strip() or name)[:255],
        source=VaultDocument.Source.UPLOAD,
        file_format=fmt,
        size=len(content),
    )
    document.store(name, content, fmt, by=owner)
    document.save()
    return document


def _own(document: VaultDocument, owner) -> VaultDocument:
    locked = VaultDocument.objects.select_for_update().get(pk=document.pk)
    if locked.owner_id != owner.pk or locked.deleted_at is not None:
        raise ActionForbidden()
    return locked


@transaction.atomic
def rename(document: VaultDocument, owner, title: str) -> VaultDocument:
    title = title.strip()
    if not title:
        raise RuleViolation(
            _("Give the document a name."),
            code="title_required",
            fields={"title": [_("Required.")]},
        )
    document = _own(document, owner)
    document.title = title[:255]
    document.save(update_fields=["title"])
    return document


@transaction.atomic
def remove(document: VaultDocument, owner) -> VaultDocument:
    """Hide a document from the vault; the stored file and its checksum stay for the record."""
    document = _own(document, owner)
    document.deleted_at = timezone.now()
    document.save(update_fields=["deleted_at"])
    return document


def result_deliverable(dossier: Dossier) -> bool:
    """The applicant may have the e-result: it exists, the dossier is settled and, where the
    profile says so, the fee is paid (VP 16.1)."""
    if dossier.status not in RESULT_STATES or not hasattr(dossier, "result"):
        return False
    unpaid = dossier.fee_paid_at is None and dossier.fee_due > 0
    return not (active_profile().results.e_result_after_payment and unpaid)


def result_awaits_payment(dossier: Dossier) -> bool:
    """The e-result is ready but held back until the fee is paid (VP 16.1)."""
    ready = dossier.status in RESULT_STATES and hasattr(dossier, "result")
    return ready and not result_deliverable(dossier)


def keep_result(dossier: Dossier) -> VaultDocument | None:
    """Put the dossier's e-result in the applicant's vault once it is deliverable (SPEC §2
    "Results": delivered to the applicant's account and DataVault). Calling it again, or
    after the applicant removed the copy, changes nothing."""
    if not result_deliverable(dossier):
        return None
    existing = VaultDocument.objects.filter(
        owner_id=dossier.applicant_id, dossier=dossier, source=VaultDocument.Source.RESULT
    ).first()
    if existing is not None:
        return existing
    result = dossier.result
    with result.file.open("rb") as handle:
        content = handle.read()
    document = VaultDocument(
        owner_id=dossier.applicant_id,
        title=f"{dossier.procedure.result_type} — {dossier.code}"[:255],
        source=VaultDocument.Source.RESULT,
        file_format="pdf",
        size=len(content),
        dossier=dossier,
        signed=result.signed,
    )
    document.store(result.original_name, content, "pdf", by=result.uploaded_by)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # kept by a concurrent call
        document.file.delete(save=False)
        return VaultDocument.objects.get(
            owner_id=dossier.applicant_id, dossier=dossier, source=VaultDocument.Source.RESULT
        )
    return document


def keep_results_of(owner) -> int:
    """Deliver to the vault every deliverable result of the owner's dossiers not kept yet;
    the number delivered."""
    kept = VaultDocument.objects.filter(owner=owner, source=VaultDocument.Source.RESULT)
    pending = (
        Dossier.objects.filter(applicant=owner, status__in=RESULT_STATES, result__isnull=False)
        .exclude(pk__in=kept.values("dossier_id"))
        .select_related("procedure", "result")
    )
    return sum(1 for dossier in pending if keep_result(dossier) is not None)


def copy_to_dossier(
    document: VaultDocument, dossier: Dossier, component: Component, *, by
) -> DossierFile:
    """Reuse a kept document in a dossier instead of uploading it again: it is checked
    against the component like any upload (``files.attach``)."""
    if document.owner_id != by.pk or document.deleted_at is not None:
        raise ActionForbidden()
    with document.file.open("rb") as handle:
        content = handle.read()
    return files.attach(dossier, component, document.original_name, content, by=by)
