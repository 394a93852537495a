from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExternalIdentity(models.Model):
    """An applicant's account at the national portal's SSO, bound to one applicant account
    (HG 5.6: VNeID for people, business accounts for organisations)."""

    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="external_identities",
    )
    # The contact details as the provider last gave them: a change there is taken over,
    # an unchanged value does not overwrite what the applicant edited here.
    phone = models.CharField(_("phone number"), max_length=15, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("first sign-in"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("last sign-in"))

    class Meta:
        verbose_name = _("national SSO identity")
        verbose_name_plural = _("national SSO identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="unique_sso_subject")
        ]

    def __str__(self):
        return f"{self.subject} @ {self.issuer}"


class ApplicantProfile(models.Model):
    """What an applicant's account holds beyond the account itself: the contact address, and
    for a local account the phone number it signs in with (VP 10)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="applicant_profile",
    )
    address = models.CharField(_("contact address"), max_length=255, blank=True)
    sign_in_phone = models.CharField(_("sign-in phone number"), max_length=15, blank=True)

    class Meta:
        verbose_name = _("applicant profile")
        verbose_name_plural = _("applicant profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["sign_in_phone"],
                condition=~models.Q(sign_in_phone=""),
                name="unique_sign_in_phone",
            )
        ]

    def __str__(self):
        return str(self.user)


class PhoneCode(models.Model):
    """A one-time sign-in code sent by SMS: kept only as a keyed hash, valid for a few
    minutes, used at most once (VP 10.1)."""

    phone = models.CharField(_("phone number"), max_length=15)
    code_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(_("requested from"), null=True)
    created_at = models.DateTimeField(_("sent at"), db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("phone sign-in code")
        verbose_name_plural = _("phone sign-in codes")
        indexes = [
            models.Index(fields=["phone", "created_at"]),
            models.Index(fields=["ip", "created_at"]),
        ]

    def __str__(self):
        return f"{self.phone} {self.created_at:%Y-%m-%d %H:%M}"


class PhoneGuard(models.Model):
    """Wrong codes in a row for one phone number, and the lock they led to."""

    phone = models.CharField(_("phone number"), max_length=15, unique=True)
    failures = models.PositiveSmallIntegerField(_("wrong codes in a row"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("phone sign-in lock")
        verbose_name_plural = _("phone sign-in locks")

    def __str__(self):
        return self.phone


class WrongCode(models.Model):
    """One wrong code, counted against the address it came from."""

    phone = models.CharField(_("phone number"), max_length=15)
    ip = models.GenericIPAddressField(_("from"), null=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        indexes = [models.Index(fields=["ip", "at"])]

    def __str__(self):
        return f"{self.phone} {self.at:%Y-%m-%d %H:%M}"


class FakeProviderKey(models.Model):
    """The signing key of the in-process identity provider (demo and tests only)."""

    kid = models.CharField(max_length=64, unique=True)
    private_pem = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.kid


class FakeProviderGrant(models.Model):
    """An authorisation code of the in-process identity provider, redeemable once."""

    code_hash = models.CharField(max_length=64, unique=True)
    client_id = models.CharField(max_length=255)
    redirect_uri = models.CharField(max_length=1000)
    code_challenge = models.CharField(max_length=128)
    nonce = models.CharField(max_length=255, blank=True)
    claims = models.JSONField()
    expires_at = models.DateTimeField()
    used = models.BooleanField(default=False)

    def __str__(self):
        return self.code_hash[:12]
