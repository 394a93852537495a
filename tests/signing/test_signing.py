"""Signing results and checking them (SPEC §2 "Results", §3 item 13; VP 16.1)."""

import datetime as dt
from io import BytesIO

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.utils import timezone
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from motcua.catalogue.models import Agency
from motcua.signing.models import CertificateAuthority
from motcua.signing.pki import ensure_agency_key
from motcua.signing.signing import Outcome, SigningError, sign_pdf, verify_pdf

from .conftest import TEXT

pytestmark = pytest.mark.django_db


def _sign(pdf_bytes, agency):
    return sign_pdf(pdf_bytes, agency, reason="Kết quả giải quyết TTHC", location="Bắc Ninh")


def _self_signed(common_name="Sở Tư pháp giả mạo"):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = timezone.now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def _sign_with(pdf_bytes, key, certificate):
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    signer = SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(
            certificate.public_bytes(serialization.Encoding.DER)
        ),
        signing_key=asn1_keys.PrivateKeyInfo.load(der),
        cert_registry=SimpleCertificateStore(),
    )
    metadata = PdfSignatureMetadata(field_name="Other", subfilter=SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes))
    return PdfSigner(metadata, signer=signer).sign_pdf(writer).getvalue()


def test_signed_result_is_valid_and_trusted(agency, pdf_bytes):
    before = timezone.now() - dt.timedelta(seconds=1)
    verdict = verify_pdf(_sign(pdf_bytes, agency))
    assert verdict.valid and verdict.outcome is Outcome.VALID
    assert verdict.signed and verdict.intact and verdict.trusted
    assert verdict.signer == "Sở Tư pháp"
    assert verdict.summary == "Chữ ký hợp lệ của Sở Tư pháp"
    assert verdict.signed_at is not None and verdict.signed_at >= before


def test_long_agency_name_is_shown_in_full(db, pdf_bytes):
    name = "Văn phòng Đăng ký đất đai thuộc Sở Nông nghiệp và Môi trường thành phố Cần Thơ"
    agency = Agency.objects.create(code="000.00.31.H13", name=name, level="unit")
    verdict = verify_pdf(_sign(pdf_bytes, agency))
    assert verdict.valid and verdict.signer == name


def test_signature_is_pades_in_the_motcua_field(agency, pdf_bytes):
    reader = PdfFileReader(BytesIO(_sign(pdf_bytes, agency)))
    (signature,) = reader.embedded_regular_signatures
    assert signature.field_name == "MotCuaSignature"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Reason"] == "Kết quả giải quyết TTHC"
    assert signature.sig_object["/Location"] == "Bắc Ninh"


def test_signing_twice_adds_a_second_field(agency, pdf_bytes):
    twice = _sign(_sign(pdf_bytes, agency), agency)
    reader = PdfFileReader(BytesIO(twice))
    names = [s.field_name for s in reader.embedded_regular_signatures]
    assert names == ["MotCuaSignature", "MotCuaSignature2"]
    assert verify_pdf(twice).valid


def test_bytes_changed_after_signing_are_detected(agency, pdf_bytes):
    signed = _sign(pdf_bytes, agency)
    assert signed.count(TEXT) == 1
    tampered = signed.replace(TEXT, TEXT.replace(b"test", b"fake"))
    verdict = verify_pdf(tampered)
    assert verdict.signed and not verdict.intact and not verdict.valid
    assert verdict.outcome is Outcome.MODIFIED
    assert verdict.summary.startswith("Tài liệu đã bị sửa đổi sau khi ký")
    assert verdict.trusted  # the agency's signature is genuine, the content is not


def test_content_appended_after_signing_is_detected(agency, pdf_bytes):
    writer = IncrementalPdfFileWriter(BytesIO(_sign(pdf_bytes, agency)))
    page = writer.root["/Pages"]["/Kids"][0]
    content = generic.StreamObject(stream_data=b"BT /F1 24 Tf 50 50 Td (FAKE) Tj ET")
    page["/Contents"] = writer.add_object(content)
    writer.update_container(page)
    output = BytesIO()
    writer.write(output)
    verdict = verify_pdf(output.getvalue())
    assert verdict.outcome is Outcome.MODIFIED and not verdict.intact


def test_corrupted_signature_value_is_not_valid(agency, pdf_bytes):
    signed = _sign(pdf_bytes, agency)
    start = signed.index(b"/Contents <") + len(b"/Contents <")
    corrupted = signed[: start + 100] + b"0" * 200 + signed[start + 300 :]
    verdict = verify_pdf(corrupted)
    assert verdict.signed and not verdict.valid
    assert verdict.outcome in (Outcome.UNREADABLE, Outcome.MODIFIED)


def test_unsigned_pdf(pdf_bytes):
    verdict = verify_pdf(pdf_bytes)
    assert not verdict.signed and not verdict.valid
    assert verdict.outcome is Outcome.UNSIGNED
    assert verdict.summary == "Không có chữ ký số"


def test_self_signed_key_is_not_trusted(agency, pdf_bytes):
    ensure_agency_key(agency)  # the demo CA exists and is trusted
    verdict = verify_pdf(_sign_with(pdf_bytes, *_self_signed()))
    assert verdict.signed and verdict.intact and not verdict.trusted
    assert verdict.outcome is Outcome.UNTRUSTED
    assert verdict.signer == "Sở Tư pháp giả mạo"
    assert verdict.summary.startswith("Chứng thư không được tin cậy")


def test_trust_root_configured_later_is_trusted(db, pdf_bytes, settings, tmp_path):
    key, certificate = _self_signed("Cục Chứng thực số")
    root = tmp_path / "root.pem"
    root.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [root]
    signed = _sign_with(pdf_bytes, key, certificate)
    assert verify_pdf(signed).outcome is Outcome.VALID


def test_distrusted_ca_and_revoked_key(agency, pdf_bytes):
    signed = _sign(pdf_bytes, agency)
    key = ensure_agency_key(agency)
    key.revoked = True
    key.save()
    verdict = verify_pdf(signed)
    assert verdict.outcome is Outcome.REVOKED and not verdict.trusted
    CertificateAuthority.objects.update(trusted=False)
    key.revoked = False
    key.save()
    assert verify_pdf(signed).outcome is Outcome.UNTRUSTED


@pytest.mark.parametrize(
    "garbage", [b"", b"hello world", b"%PDF-1.7\n garbage", bytes(range(256)) * 8]
)
def test_garbage_gets_a_clear_verdict(db, garbage):
    verdict = verify_pdf(garbage)
    assert not verdict.signed and not verdict.valid
    assert verdict.outcome is Outcome.NOT_PDF
    assert verdict.summary == "Tệp không phải là tài liệu PDF hợp lệ"


def test_truncated_signed_pdf_never_raises(agency, pdf_bytes):
    signed = _sign(pdf_bytes, agency)
    for cut in (len(signed) // 3, len(signed) // 2, len(signed) - 10):
        assert not verify_pdf(signed[:cut]).valid


def test_signing_refuses_garbage_and_closed_agencies(agency, pdf_bytes):
    with pytest.raises(SigningError):
        _sign(b"not a pdf", agency)
    closed = Agency.objects.create(
        code="000.00.99.H06", name="Sở đã giải thể", level="department", status="closed"
    )
    with pytest.raises(SigningError):
        _sign(pdf_bytes, closed)


def test_signing_time_comes_from_a_trusted_timestamp(agency, pdf_bytes):
    """PAdES B-T: the TSA's time, not the signer's clock, dates the result."""
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from motcua.signing.pki import trust_roots

    before = timezone.now()
    signed = _sign(pdf_bytes, agency)
    verdict = verify_pdf(signed)
    assert verdict.valid and verdict.timestamped
    assert before - dt.timedelta(seconds=5) <= verdict.signed_at <= timezone.now()

    (signature,) = PdfFileReader(BytesIO(signed)).embedded_regular_signatures
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=trust_roots()))
    stamp = status.timestamp_validity
    assert stamp.trusted and stamp.intact and stamp.valid
    assert stamp.signing_cert.subject.native["common_name"] == "MotCua Demo TSA"


def test_a_configured_tsa_is_asked_instead_of_the_demo_one(settings):
    from pyhanko.sign.timestamps import HTTPTimeStamper

    from motcua.signing.models import TimestampAuthority
    from motcua.signing.pki import timestamper

    settings.MOTCUA_TSA_URL = "https://tsa.example.vn/tsr"
    stamper = timestamper()
    assert isinstance(stamper, HTTPTimeStamper) and stamper.url == "https://tsa.example.vn/tsr"
    assert not TimestampAuthority.objects.exists()


def test_the_demo_tsa_is_issued_once_with_the_time_stamping_usage(db):
    from cryptography.x509.oid import ExtendedKeyUsageOID

    from motcua.signing.pki import ensure_demo_tsa

    tsa = ensure_demo_tsa()
    assert ensure_demo_tsa().pk == tsa.pk
    certificate = x509.load_pem_x509_certificate(tsa.certificate_pem.encode())
    usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert usage.critical and list(usage.value) == [ExtendedKeyUsageOID.TIME_STAMPING]
