"""Retention periods per procedure and the packages of closed dossiers handed over to the
agency archive (BN 16; TT 13/2023/TT-BNV)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Retention(models.Model):
    """How long the agency archive keeps the dossiers of a procedure, counted from the end
    of the year they closed; no number of years means permanently (TT 13/2023/TT-BNV)."""

    procedure = models.OneToOneField(
        "catalogue.Procedure",
        verbose_name=_("procedure"),
        on_delete=models.CASCADE,
        related_name="retention",
    )
    years = models.PositiveSmallIntegerField(
        _("years kept"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty to keep the dossiers permanently."),
    )
    basis = models.TextField(
        _("basis"), help_text=_("The retention table or document that sets this period.")
    )

    class Meta:
        ordering = ["procedure__national_code"]
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")

    def __str__(self):
        return f"{self.procedure.national_code}: {self.years or '∞'}"


def _package_path(instance, filename):
    return f"archive/{instance.agency.code}/{filename}"


class ArchiveExport(models.Model):
    """One package handed over to the agency archive: a BagIt bag in a ZIP file
    (BN 16.3; TT 13/2023/TT-BNV art. 5)."""

    agency = models.ForeignKey(
        "catalogue.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="archive_exports",
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    identifier = models.CharField(_("package identifier"), max_length=128, unique=True)
    package = models.FileField(_("package"), upload_to=_package_path, max_length=255)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    dossier_count = models.PositiveIntegerField(_("dossiers"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("archive package")
        verbose_name_plural = _("archive packages")
        indexes = [models.Index(fields=["agency", "-created_at"])]

    def __str__(self):
        return self.identifier

    @property
    def filename(self) -> str:
        return f"{self.identifier}.zip"


class ArchivedDossier(models.Model):
    """A closed dossier handed over in a package, once, with the date until which the
    archive keeps it (empty: permanently)."""

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="archived",
    )
    export = models.ForeignKey(
        ArchiveExport,
        verbose_name=_("package"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    retain_until = models.DateField(_("kept until"), null=True, blank=True)

    class Meta:
        ordering = ["export", "dossier__code"]
        verbose_name = _("archived dossier")
        verbose_name_plural = _("archived dossiers")

    def __str__(self):
        return f"{self.dossier} → {self.export}"
