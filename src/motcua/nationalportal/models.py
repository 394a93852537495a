"""What the System remembers of its exchanges with the national public-service portal
(SPEC §3 item 22): the dossiers it pulled, and the procedures the national database no
longer knows."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PulledDossier(models.Model):
    """A dossier submitted on the national portal and taken here once: the national id is
    unique, so a second pull creates nothing. Either it became ``dossier`` or it was refused
    for ``refusal``; the portal is told either way (``acknowledged_at``)."""

    national_id = models.CharField(_("national dossier id"), max_length=64, unique=True)
    procedure_code = models.CharField(_("national procedure code"), max_length=32)
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="national_portal",
    )
    refusal_code = models.CharField(_("refusal code"), max_length=48, blank=True)
    refusal = models.TextField(_("refusal"), blank=True)
    pulled_at = models.DateTimeField(_("pulled at"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        ordering = ["-pulled_at"]
        verbose_name = _("dossier from the national portal")
        verbose_name_plural = _("dossiers from the national portal")
        indexes = [models.Index(fields=["acknowledged_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dossier__isnull=True) ^ models.Q(refusal_code=""),
                name="pulled_dossier_taken_or_refused",
            )
        ]

    def __str__(self):
        return self.national_id


class ProcedureSync(models.Model):
    """The last catalogue synchronisation of one procedure with the national procedure
    database (CSDL TTHC). A procedure the national database does not know is flagged
    (``unknown_since``), never deleted."""

    procedure = models.OneToOneField(
        "catalogue.Procedure",
        verbose_name=_("procedure"),
        on_delete=models.CASCADE,
        related_name="national_sync",
    )
    checked_at = models.DateTimeField(_("checked at"))
    unknown_since = models.DateTimeField(
        _("unknown nationally since"),
        null=True,
        blank=True,
        help_text=_("The national procedure database did not know this code when checked."),
    )
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["procedure"]
        verbose_name = _("national catalogue check")
        verbose_name_plural = _("national catalogue checks")

    def __str__(self):
        return str(self.procedure)
