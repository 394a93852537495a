"""The demo CA and agency keys (SPEC §3 item 13): idempotent, encrypted at rest."""

import io

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from django.core.management import call_command

from motcua.catalogue.models import Agency
from motcua.signing.keystore import decrypt_private_key
from motcua.signing.models import AgencySigningKey, CertificateAuthority
from motcua.signing.pki import DEMO_CA_NAME, ensure_agency_key, ensure_demo_ca

pytestmark = pytest.mark.django_db


def _certificate(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())


def _attr(name: x509.Name, oid) -> str:
    return name.get_attributes_for_oid(oid)[0].value


def test_demo_ca_is_created_once():
    first, second = ensure_demo_ca(), ensure_demo_ca()
    assert first.pk == second.pk
    assert CertificateAuthority.objects.count() == 1
    certificate = _certificate(first.certificate_pem)
    assert _attr(certificate.subject, NameOID.COMMON_NAME) == DEMO_CA_NAME
    assert certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def test_agency_key_is_issued_once(agency):
    first, second = ensure_agency_key(agency), ensure_agency_key(agency)
    assert first.pk == second.pk
    assert AgencySigningKey.objects.filter(agency=agency).count() == 1


def test_agency_certificate_names_agency_province_and_code(agency, settings):
    settings.MOTCUA_PROFILE = "bac-ninh"
    key = ensure_agency_key(agency)
    certificate = _certificate(key.certificate_pem)
    assert _attr(certificate.subject, NameOID.COMMON_NAME) == "Sở Tư pháp"
    assert _attr(certificate.subject, NameOID.ORGANIZATION_NAME) == "Bắc Ninh"
    assert _attr(certificate.subject, NameOID.SERIAL_NUMBER) == "000.00.15.H06"
    assert _attr(certificate.issuer, NameOID.COMMON_NAME) == DEMO_CA_NAME
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert key.not_after == certificate.not_valid_after_utc


def test_long_agency_name_fits_the_common_name(db):
    name = "Phòng Quản lý vận tải, phương tiện và người lái thuộc Sở Xây dựng thành phố Cần Thơ"
    agency = Agency.objects.create(code="000.00.30.H13", name=name, level="unit")
    key = ensure_agency_key(agency)
    common_name = _attr(_certificate(key.certificate_pem).subject, NameOID.COMMON_NAME)
    assert len(common_name.encode()) <= 64 and common_name.endswith("…")
    assert key.signer_name == name


def test_private_key_is_stored_encrypted(agency):
    key = ensure_agency_key(agency)
    ca = ensure_demo_ca()
    for token in (key.private_key_encrypted, ca.private_key_encrypted):
        assert "PRIVATE KEY" not in token
        assert "-----BEGIN" not in token
    private = decrypt_private_key(key.private_key_encrypted)
    public = _certificate(key.certificate_pem).public_key()
    der = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    assert private.public_key().public_bytes(*der) == public.public_bytes(*der)


def test_keys_follow_secret_key_rotation(agency, settings):
    key = ensure_agency_key(agency)
    old_secret = settings.SECRET_KEY
    settings.SECRET_KEY = "another-secret"
    with pytest.raises(ValueError, match="SECRET_KEY"):
        decrypt_private_key(key.private_key_encrypted)
    settings.SECRET_KEY_FALLBACKS = [old_secret]
    assert decrypt_private_key(key.private_key_encrypted) is not None


def test_revoked_key_is_replaced(agency):
    first = ensure_agency_key(agency)
    first.revoked = True
    first.save()
    second = ensure_agency_key(agency)
    assert second.pk != first.pk and not second.revoked


def test_command_covers_active_agencies_idempotently(agency):
    Agency.objects.create(code="000.00.16.H06", name="Sở Y tế", level="department")
    Agency.objects.create(code="000.00.17.H06", name="Sở cũ", level="department", status="closed")
    first, second = io.StringIO(), io.StringIO()
    call_command("ensure_signing_keys", stdout=first)
    call_command("ensure_signing_keys", stdout=second)
    assert "2 new signing keys" in first.getvalue()
    assert "0 new signing keys" in second.getvalue()
    assert CertificateAuthority.objects.count() == 1
    assert set(AgencySigningKey.objects.values_list("agency__code", flat=True)) == {
        "000.00.15.H06",
        "000.00.16.H06",
    }
    assert AgencySigningKey.objects.count() == 2
