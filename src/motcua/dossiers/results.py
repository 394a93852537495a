"""Results of dossiers: the agency's signed PDF, or a signed document from elsewhere whose
signature is checked and shown (SPEC §3 item 13, §2 "Results")."""

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.signing.signing import SigningError, sign_pdf, verify_pdf

from .access import agency_scope
from .errors import ActionForbidden, RuleViolation
from .files import sniff
from .models import Dossier, DossierResult, Status

#: Who may attach a result; only the head signs it.
RESULT_ROLES = (Role.AGENCY_LEADER, Role.CLERK, Role.SPECIALIST)


@transaction.atomic
def attach_result(dossier: Dossier, name: str, content: bytes, *, by, sign: bool) -> DossierResult:
    """Store the result of a dossier being processed or ready. With ``sign``, the agency
    leader signs it with the agency's key (PAdES); otherwise an already signed PDF is
    checked and its verdict recorded."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.status not in (Status.PROCESSING, Status.RESULT_READY):
        raise RuleViolation(
            _("The result comes once the dossier is being processed."), code="result_too_early"
        )
    if by.role not in RESULT_ROLES or (dossier.agency_id not in agency_scope(by)):
        raise ActionForbidden()
    if sniff(content, ["pdf"]) is None:
        raise RuleViolation(
            _("The result must be a PDF file."),
            code="file_type",
            fields={"file": [_("Wrong type.")]},
        )
    if sign:
        if by.role != Role.AGENCY_LEADER:
            raise ActionForbidden(_("Only the head of the agency signs results."))
        try:
            content = sign_pdf(
                content,
                dossier.agency,
                reason=_("Kết quả giải quyết TTHC"),
                location=dossier.agency.name,
            )
        except SigningError as error:
            raise RuleViolation(str(error), code="signing_failed") from None
    verdict = verify_pdf(content)
    result = getattr(dossier, "result", None) or DossierResult(dossier=dossier)
    result.signed = verdict.valid
    result.signature_summary = verdict.summary
    result.store(name, content, "pdf", by=by)
    result.save()
    return result
