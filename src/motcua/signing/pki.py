"""The System's small PKI: a demo root CA and one certificate per agency (SPEC §3 item 13).

Results are signed with the key of the agency that decided them (SPEC §2 "Results", VP 16.1).
The demo CA stands in for the national one (Ban Cơ yếu Chính phủ); a real deployment adds the
national root as a trust anchor (a :class:`~.models.CertificateAuthority` without a key, or a
PEM file listed in ``settings.MOTCUA_SIGNING_TRUST_ROOTS``) and keeps agency keys in an HSM.

Keys are ECDSA P-256 with SHA-256: accepted by PAdES validators (Adobe Reader, EU DSS,
pyHanko) and generated in a millisecond, where RSA 2048 took ~0.1 s per agency and made the
first ``motcua demo`` noticeably slower. An HSM-held production key may be RSA: nothing here
depends on the algorithm.
"""

import datetime as dt
import logging

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from pyhanko.keys import load_certs_from_pemder
from pyhanko.sign.signers import SimpleSigner
from pyhanko.sign.timestamps import DummyTimeStamper, HTTPTimeStamper, TimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from motcua.catalogue.models import Agency
from motcua.profiles import ProfileError, active_profile

from .keystore import decrypt_private_key, encrypt_private_key
from .models import AgencySigningKey, CertificateAuthority, TimestampAuthority

logger = logging.getLogger(__name__)

DEMO_CA_NAME = "MotCua Demo CA"
DEMO_TSA_NAME = "MotCua Demo TSA"
CA_LIFETIME = dt.timedelta(days=20 * 365)
KEY_LIFETIME = dt.timedelta(days=3 * 365)
# A key this close to expiry is replaced rather than used for new signatures.
RENEW_BEFORE = dt.timedelta(days=30)
# Issued certificates start slightly in the past to tolerate clock skew between servers.
BACKDATE = dt.timedelta(minutes=5)
CN_MAX = 64  # RFC 5280 ub-common-name


def ensure_demo_ca() -> CertificateAuthority:
    """The demo root CA "MotCua Demo CA", created on first call (idempotent, race-safe)."""
    existing = CertificateAuthority.objects.filter(name=DEMO_CA_NAME).first()
    if existing is not None:
        return existing
    key = _new_key()
    subject = _demo_subject(DEMO_CA_NAME)
    certificate = (
        _builder(subject, subject, key.public_key(), timezone.now() + CA_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return _create_once(CertificateAuthority, DEMO_CA_NAME, certificate, key)


def ensure_demo_tsa() -> TimestampAuthority:
    """The System's own time-stamping unit, issued by the demo CA on first call (idempotent).

    Its key is RSA: pyHanko's in-process time stamper signs with RSA PKCS#1 v1.5. The
    certificate carries the critical ``timeStamping`` extended key usage RFC 3161 requires."""
    existing = TimestampAuthority.objects.filter(name=DEMO_TSA_NAME).select_related("issuer")
    if tsa := existing.first():
        return tsa
    ca = ensure_demo_ca()
    ca_certificate = x509.load_pem_x509_certificate(ca.certificate_pem.encode("ascii"))
    ca_key = decrypt_private_key(ca.private_key_encrypted)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = (
        _builder(
            _demo_subject(DEMO_TSA_NAME),
            ca_certificate.subject,
            key.public_key(),
            ca_certificate.not_valid_after_utc,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=True, content_commitment=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return _create_once(TimestampAuthority, DEMO_TSA_NAME, certificate, key, issuer=ca)


def _create_once(model, name: str, certificate: x509.Certificate, key, **fields):
    """Store a named certificate and its encrypted key, or return the one another process
    stored meanwhile."""
    try:
        with transaction.atomic():
            return model.objects.create(
                name=name,
                certificate_pem=_pem(certificate),
                private_key_encrypted=encrypt_private_key(key),
                not_after=certificate.not_valid_after_utc,
                **fields,
            )
    except IntegrityError:
        return model.objects.get(name=name)


def _demo_subject(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "MotCua (demo, not for real use)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _builder(subject, issuer, public_key, not_after) -> x509.CertificateBuilder:
    """A certificate valid from a little before now (clock skew) until ``not_after``."""
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(timezone.now() - BACKDATE)
        .not_valid_after(not_after)
    )


def timestamper() -> TimeStamper:
    """Who stamps the signing time: the TSA at ``settings.MOTCUA_TSA_URL`` (the national
    time-stamping service in production), else the System's own demo TSA."""
    url = getattr(settings, "MOTCUA_TSA_URL", "")
    if url:
        return HTTPTimeStamper(url, timeout=getattr(settings, "MOTCUA_TSA_TIMEOUT", 10))
    tsa = ensure_demo_tsa()
    der = decrypt_private_key(tsa.private_key_encrypted).private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return DummyTimeStamper(
        tsa_cert=load_certificate(tsa.certificate_pem),
        tsa_key=asn1_keys.PrivateKeyInfo.load(der),
        certs_to_embed=SimpleCertificateStore.from_certs(
            [load_certificate(tsa.issuer.certificate_pem)]
        ),
    )


def current_key(agency: Agency) -> AgencySigningKey | None:
    """The agency's key for new signatures: not revoked, not about to expire; else ``None``."""
    return (
        AgencySigningKey.objects.filter(
            agency=agency, revoked=False, not_after__gt=timezone.now() + RENEW_BEFORE
        )
        .select_related("issuer")
        .order_by("-not_after")
        .first()
    )


def ensure_agency_key(
    agency: Agency, *, ca: CertificateAuthority | None = None
) -> AgencySigningKey:
    """The agency's current key, issuing one (by ``ca``, default the demo CA) if it has none.

    Idempotent: a second call returns the same key until it is revoked or nears expiry. The
    certificate names the agency (CN), the province (O, from the active profile) and carries the
    agency code in ``serialNumber``.
    """
    ca = ca or ensure_demo_ca()
    if not ca.private_key_encrypted:
        raise ValueError(f"{ca} is a trust anchor only and cannot issue certificates")
    with transaction.atomic():
        # Serialise issuers per agency (a row lock on PostgreSQL; SQLite has one writer anyway).
        Agency.objects.select_for_update().filter(pk=agency.pk).exists()
        key = current_key(agency)
        if key is not None:
            return key
        return _issue(agency, ca)


def trust_roots() -> list[asn1_x509.Certificate]:
    """Certificates accepted as trust anchors when verifying: trusted CAs in the database plus
    the PEM/DER files in ``settings.MOTCUA_SIGNING_TRUST_ROOTS`` (unreadable files are logged
    and skipped)."""
    roots = [
        load_certificate(pem)
        for pem in CertificateAuthority.objects.filter(trusted=True).values_list(
            "certificate_pem", flat=True
        )
    ]
    for path in getattr(settings, "MOTCUA_SIGNING_TRUST_ROOTS", ()):
        try:
            roots.extend(load_certs_from_pemder([str(path)]))
        except (OSError, ValueError):
            logger.exception("cannot read trust root %s", path)
    return roots


def signer_for(key: AgencySigningKey) -> SimpleSigner:
    """A pyHanko signer holding ``key`` in memory, with its issuer's certificate for the chain.

    The one place to replace with a PKCS#11 (HSM) or remote (CSC) signer in production.
    """
    private = decrypt_private_key(key.private_key_encrypted)
    der = private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return SimpleSigner(
        signing_cert=load_certificate(key.certificate_pem),
        signing_key=asn1_keys.PrivateKeyInfo.load(der),
        cert_registry=SimpleCertificateStore.from_certs(
            [load_certificate(key.issuer.certificate_pem)]
        ),
    )


def load_certificate(pem: str) -> asn1_x509.Certificate:
    """A PEM certificate as the asn1crypto object pyHanko works with."""
    certificate = x509.load_pem_x509_certificate(pem.encode("ascii"))
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def common_name(agency: Agency) -> str:
    """The agency's name as it fits in a certificate's CN: 64 bytes of UTF-8 (the limit the
    ``cryptography`` library enforces), else the short name, else the name cut with "…"."""
    for name in (agency.name, agency.short_name):
        if name and len(name.encode()) <= CN_MAX:
            return name
    cut = agency.name
    while len((cut + "…").encode()) > CN_MAX:
        cut = cut[:-1]
    return cut.rstrip() + "…"


def _issue(agency: Agency, ca: CertificateAuthority) -> AgencySigningKey:
    ca_certificate = x509.load_pem_x509_certificate(ca.certificate_pem.encode("ascii"))
    ca_key = decrypt_private_key(ca.private_key_encrypted)
    key = _new_key()
    now = timezone.now()
    not_after = min(now + KEY_LIFETIME, ca_certificate.not_valid_after_utc)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _province()),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, agency.code),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name(agency)),
        ]
    )
    certificate = (
        _builder(subject, ca_certificate.subject, key.public_key(), not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        # pyHanko requires non-repudiation (content commitment) on signing certificates.
        .add_extension(_key_usage(digital_signature=True, content_commitment=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return AgencySigningKey.objects.create(
        agency=agency,
        issuer=ca,
        certificate_pem=_pem(certificate),
        private_key_encrypted=encrypt_private_key(key),
        signer_name=agency.name,
        fingerprint=certificate.fingerprint(hashes.SHA256()).hex(),
        not_after=certificate.not_valid_after_utc,
    )


def _province() -> str:
    try:
        return active_profile().province
    except ProfileError:
        return settings.MOTCUA_PROFILE


def _new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


_KEY_USAGES = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)


def _key_usage(**granted: bool) -> x509.KeyUsage:
    return x509.KeyUsage(**{name: granted.get(name, False) for name in _KEY_USAGES})


def _pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
