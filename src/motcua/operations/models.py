from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MaintenanceNotice(models.Model):
    """Planned maintenance announced to users ahead of time (BN 10.3)."""

    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    description = models.TextField(_("what users will notice"))
    announced_at = models.DateTimeField(_("announced at"))
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("announced by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("maintenance notice")
        verbose_name_plural = _("maintenance notices")
        indexes = [models.Index(fields=["cancelled_at", "ends_at"])]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M} – {self.ends_at:%Y-%m-%d %H:%M}"


class AppendOnly(models.Model):
    """Rows that are written once: a correction is a new row, never an update (TN 14.1.d)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{type(self).__name__} rows are never deleted")


class Incident(AppendOnly):
    """One incident of the log book; what is known of it is its latest entry."""

    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self):
        return f"#{self.pk}"


class IncidentEntry(AppendOnly):
    """What an operator wrote about an incident at one time; the first entry records it,
    each later one corrects or completes it and says why (TN 14.1.d)."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="entries"
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    impact = models.TextField(_("impact"))
    cause = models.TextField(_("cause"), blank=True)
    action_taken = models.TextField(_("action taken"), blank=True)
    reason = models.TextField(_("reason for the correction"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["incident", "id"]
        verbose_name = _("incident log entry")
        verbose_name_plural = _("incident log entries")

    def __str__(self):
        return f"{self.incident} {self.recorded_at:%Y-%m-%d %H:%M}"
