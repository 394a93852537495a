"""Certificate authorities and agency signing keys (SPEC §3 item 13: "sign result (PAdES with
the agency's key)").

Both live in the database rather than as files under ``DATA_DIR/"pki"``:

* app servers stay stateless (SPEC §5 scale-out) — every server signs with the same keys;
* keys are backed up, replicated and restored together with the results they signed;
* unique constraints and transactions make :mod:`.pki`'s ``ensure_*`` functions idempotent
  even when two processes race, and tests roll them back like any other row.

Private keys are stored encrypted (:mod:`.keystore`); production should hold them in an HSM.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Agency


class CertificateAuthority(models.Model):
    """A CA whose certificates the System trusts, and may issue with when it holds the key.

    A CA without a private key is a trust anchor only (e.g. the national root, configured
    later); ``trusted=False`` withdraws trust without deleting history.
    """

    name = models.CharField(_("name"), max_length=128, unique=True)
    certificate_pem = models.TextField(_("certificate (PEM)"))
    private_key_encrypted = models.TextField(
        _("private key (encrypted)"),
        blank=True,
        help_text=_("Fernet token of the PKCS#8 PEM; empty for a trust anchor only."),
    )
    trusted = models.BooleanField(_("trusted"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    not_after = models.DateTimeField(_("valid until"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("certificate authority")
        verbose_name_plural = _("certificate authorities")

    def __str__(self):
        return self.name


class AgencySigningKey(models.Model):
    """One agency's key pair and certificate. Keys are never deleted, only revoked or expired:
    the certificate is still needed to explain old signatures."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="signing_keys"
    )
    issuer = models.ForeignKey(
        CertificateAuthority,
        verbose_name=_("issuer"),
        on_delete=models.PROTECT,
        related_name="issued_keys",
    )
    certificate_pem = models.TextField(_("certificate (PEM)"))
    private_key_encrypted = models.TextField(
        _("private key (encrypted)"), help_text=_("Fernet token of the PKCS#8 PEM.")
    )
    signer_name = models.CharField(
        _("signer name"),
        max_length=255,
        help_text=_("the agency's full name when the key was issued (a certificate's CN is ≤ 64)"),
    )
    fingerprint = models.CharField(
        _("SHA-256 fingerprint"), max_length=64, unique=True, help_text=_("of the certificate")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    not_after = models.DateTimeField(_("valid until"))
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        ordering = ["agency", "-not_after"]
        verbose_name = _("agency signing key")
        verbose_name_plural = _("agency signing keys")
        indexes = [models.Index(fields=["agency", "revoked", "not_after"])]

    def __str__(self):
        return f"{self.agency} — {self.not_after:%d/%m/%Y}"

    @property
    def usable(self) -> bool:
        return not self.revoked and self.not_after > timezone.now()


class TimestampAuthority(models.Model):
    """A time-stamping unit (RFC 3161) the System runs itself when no external one is
    configured (``MOTCUA_TSA_URL``): its certificate, issued by a CA of this PKI, makes the
    signing time of a result trustworthy (PAdES B-T)."""

    name = models.CharField(_("name"), max_length=128, unique=True)
    issuer = models.ForeignKey(
        CertificateAuthority,
        verbose_name=_("issuer"),
        on_delete=models.PROTECT,
        related_name="timestamp_authorities",
    )
    certificate_pem = models.TextField(_("certificate (PEM)"))
    private_key_encrypted = models.TextField(
        _("private key (encrypted)"), help_text=_("Fernet token of the PKCS#8 PEM.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    not_after = models.DateTimeField(_("valid until"))

    class Meta:
        verbose_name = _("time-stamping authority")
        verbose_name_plural = _("time-stamping authorities")

    def __str__(self):
        return self.name
