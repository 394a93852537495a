"""API keys of integrating systems (SPEC §3 item 21; HG 11): each key has its scopes, a
maximum number of calls per minute (HG 11.3), an optional expiry, and is revoked, never
deleted. Only a hash of the secret is stored; the secret is shown once, when issued.
Every call made with a key is logged (HG 11.1)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey


class Scope(models.TextChoices):
    LOOKUP = "lookup", _("Dossier status lookup")
    CATALOGUE_READ = "catalogue:read", _("Read the procedure catalogue")
    DOSSIERS_READ = "dossiers:read", _("Read the dossiers of one agency")
    REPORTS_READ = "reports:read", _("Read the statistics of one agency or the province")


class IntegrationKey(AbstractAPIKey):
    """``name`` names the integrating system; ``agency`` bounds what ``dossiers:read`` sees
    (the agency and its units)."""

    scopes = models.JSONField(_("scopes"), default=list)
    agency = models.ForeignKey(
        "catalogue.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rate_per_minute = models.PositiveIntegerField(_("calls per minute at most"), default=60)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} [{self.prefix}]"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def scope_labels(self) -> list[str]:
        return [str(Scope(s).label) for s in self.scopes if s in Scope.values]


class KeyCall(models.Model):
    """One call made with a key: what was asked, what it got, how long it took."""

    key = models.ForeignKey(IntegrationKey, on_delete=models.PROTECT, related_name="calls")
    at = models.DateTimeField(_("at"))
    method = models.CharField(_("method"), max_length=8)
    endpoint = models.CharField(_("endpoint"), max_length=255)
    status = models.PositiveSmallIntegerField(_("status"))
    latency_ms = models.PositiveIntegerField(_("latency (ms)"))

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["key", "at"])]

    def __str__(self):
        return f"{self.method} {self.endpoint} {self.status}"


class KeyAlert(models.Model):
    """The operator was alerted that a key went over its limit in the window starting at
    ``window_start``: at most one alert per key and window."""

    key = models.ForeignKey(IntegrationKey, on_delete=models.PROTECT, related_name="alerts")
    window_start = models.DateTimeField()
    raised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-window_start"]
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="one_alert_per_window")
        ]

    def __str__(self):
        return f"{self.key} {self.window_start:%Y-%m-%d %H:%M}"
