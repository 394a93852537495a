"""Signing electronic results and checking signed PDFs (SPEC §2 "Results", VP 16.1).

:func:`sign_pdf` adds a PAdES baseline B-T signature (``ETSI.CAdES.detached``, SHA-256) made
with the deciding agency's key and time-stamped by a TSA (:func:`~.pki.timestamper`), in an
invisible field ``MotCuaSignature`` (a visible stamp needs a font that renders Vietnamese; the
documents app draws the result's own signature block).

:func:`verify_pdf` answers "is this result genuine?" for staff, applicants and the public
lookup: it never raises, whatever the bytes, and explains itself in Vietnamese.

The timestamp proves when the result was signed; the verdict reports that trusted time. Keeping
results verifiable after the agency certificate expires needs validation data added over time
(B-LT/LTA), which is not done yet.
"""

import enum
import logging
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import SigSeedSubFilter, enumerate_sig_fields
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from motcua.catalogue.models import Agency

from .models import AgencySigningKey
from .pki import ensure_agency_key, signer_for, timestamper, trust_roots

logger = logging.getLogger(__name__)

FIELD_NAME = "MotCuaSignature"


class SigningError(Exception):
    """The PDF cannot be signed (not a PDF, encrypted, or the agency cannot sign)."""


class Outcome(enum.StrEnum):
    """Machine-readable outcome of :func:`verify_pdf`, for templates and the API."""

    VALID = "valid"
    UNSIGNED = "unsigned"
    MODIFIED = "modified"
    UNTRUSTED = "untrusted"
    REVOKED = "revoked"
    NOT_PDF = "not_pdf"
    UNREADABLE = "unreadable"


_SUMMARY = {
    Outcome.VALID: "Chữ ký hợp lệ của {signer}",
    Outcome.UNSIGNED: "Không có chữ ký số",
    Outcome.MODIFIED: "Tài liệu đã bị sửa đổi sau khi ký",
    Outcome.UNTRUSTED: "Chứng thư không được tin cậy",
    Outcome.REVOKED: "Chứng thư đã bị thu hồi",
    Outcome.NOT_PDF: "Tệp không phải là tài liệu PDF hợp lệ",
    Outcome.UNREADABLE: "Không đọc được chữ ký số trong tài liệu",
}


@dataclass(frozen=True)
class Verdict:
    """What :func:`verify_pdf` found. ``trusted`` speaks of the certificate chain alone, so a
    genuine agency signature on an altered file reads ``intact=False, trusted=True``."""

    signed: bool
    intact: bool
    trusted: bool
    signer: str
    signed_at: datetime | None
    summary: str
    outcome: Outcome
    #: ``signed_at`` comes from a valid, trusted timestamp rather than the signer's clock.
    timestamped: bool = False

    @property
    def valid(self) -> bool:
        return self.outcome is Outcome.VALID

    @classmethod
    def of(
        cls,
        outcome: Outcome,
        *,
        signed=True,
        intact=False,
        trusted=False,
        signer="",
        at=None,
        timestamped=False,
    ):
        summary = _SUMMARY[outcome].format(signer=signer)
        if signer and outcome in (Outcome.UNTRUSTED, Outcome.REVOKED, Outcome.MODIFIED):
            summary += f" (người ký: {signer})"
        return cls(signed, intact, trusted, signer, at, summary, outcome, timestamped)


def sign_pdf(pdf_bytes: bytes, agency: Agency, *, reason: str, location: str) -> bytes:
    """``pdf_bytes`` with the agency's PAdES B-T signature appended as an incremental update.

    The agency's key is issued on first use (:func:`~.pki.ensure_agency_key`). A document that
    already carries ``MotCuaSignature`` gets ``MotCuaSignature2``, and so on.
    Raises :class:`SigningError` for a closed or merged agency and for input that is not a
    readable, unencrypted PDF.
    """
    if not agency.is_active:
        raise SigningError(f"{agency} is {agency.status}; sign as {agency.successor()}")
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
        encrypted = writer.prev.encrypted
        taken = {name for name, *_ in enumerate_sig_fields(writer)}
    except Exception as error:
        raise SigningError(f"not a readable PDF: {error}") from error
    if encrypted:
        raise SigningError("an encrypted PDF cannot be signed")
    field_name, n = FIELD_NAME, 1
    while field_name in taken:
        n += 1
        field_name = f"{FIELD_NAME}{n}"
    key = ensure_agency_key(agency)
    metadata = PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=key.signer_name,
    )
    signer = PdfSigner(metadata, signer=signer_for(key), timestamper=timestamper())
    output = signer.sign_pdf(writer)
    return output.getvalue()


def verify_pdf(pdf_bytes: bytes) -> Verdict:
    """Check every signature in ``pdf_bytes`` against the trusted CAs (:func:`~.pki.trust_roots`).

    The verdict describes the first signature that fails, or the latest one when all pass.
    Never raises: unreadable input yields ``NOT_PDF``, unexpected failures ``UNREADABLE``.
    """
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        reader.root  # noqa: B018 - a file without a readable catalog is no PDF
    except Exception:
        return Verdict.of(Outcome.NOT_PDF, signed=False)
    try:
        signatures = reader.embedded_regular_signatures
    except Exception:  # a signature dictionary whose CMS blob cannot be parsed
        logger.info("unreadable signature", exc_info=True)
        return Verdict.of(Outcome.UNREADABLE)
    if not signatures:
        return Verdict.of(Outcome.UNSIGNED, signed=False)
    try:
        roots = trust_roots()
        verdicts = [_check(signature, roots) for signature in signatures]
    except Exception:
        logger.exception("verifying a signed PDF failed")
        return Verdict.of(Outcome.UNREADABLE)
    return next((v for v in verdicts if not v.valid), verdicts[-1])


def _check(signature, roots) -> Verdict:
    try:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        status = validate_pdf_signature(signature, context)
    except Exception:
        logger.info("unreadable signature", exc_info=True)
        return Verdict.of(Outcome.UNREADABLE)
    fingerprint = status.signing_cert.sha256.hex()
    key = AgencySigningKey.objects.filter(fingerprint=fingerprint).first()
    signer = key.signer_name if key else status.signing_cert.subject.native.get("common_name", "")
    intact = bool(status.intact and status.valid and status.docmdp_ok)
    chained = status.validation_path is not None and status.trust_problem_indic is None
    revoked = bool(key and key.revoked) or status.revoked
    trusted = chained and not revoked
    if not intact:
        outcome = Outcome.MODIFIED
    elif revoked:
        outcome = Outcome.REVOKED
    elif not trusted:
        outcome = Outcome.UNTRUSTED
    else:
        outcome = Outcome.VALID
    stamp = status.timestamp_validity
    timestamped = bool(stamp and stamp.intact and stamp.valid and stamp.trusted)
    return Verdict.of(
        outcome,
        intact=intact,
        trusted=trusted,
        signer=signer,
        at=stamp.timestamp if timestamped else status.signer_reported_dt,
        timestamped=timestamped,
    )
