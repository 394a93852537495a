from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsistencyReport(models.Model):
    """One nightly check of the stored due times against a fresh computation: what differs
    is reported, never changed (``motcua recompute_deadlines`` changes it)."""

    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True)
    dossiers_checked = models.PositiveIntegerField(_("open dossiers checked"))
    steps_checked = models.PositiveIntegerField(_("active steps checked"))
    differences = models.JSONField(_("differences"), default=list, blank=True)

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = _("deadline consistency report")
        verbose_name_plural = _("deadline consistency reports")

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d %H:%M}: {len(self.differences)}"

    @property
    def consistent(self) -> bool:
        return not self.differences
