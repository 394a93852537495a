"""The applicant's DataVault (Kho quản lý dữ liệu điện tử của tổ chức, cá nhân): the
documents they uploaded and the e-results delivered to them, kept with their checksums for
reuse in later dossiers (SPEC §1, §3 item 6; TN 7.2.d, TN 13.7)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import StoredFile


def _vault_path(instance, filename):
    return f"vault/{instance.owner_id}/{filename}"


class VaultDocument(StoredFile):
    """One document of an applicant's vault. Removing it only hides it (``deleted_at``)."""

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Uploaded by me")
        RESULT = "result", _("Result of a dossier")

    file = models.FileField(_("file"), upload_to=_vault_path, max_length=255)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="vault_documents",
    )
    title = models.CharField(_("title"), max_length=255)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    file_format = models.CharField(_("format"), max_length=8)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed = models.BooleanField(_("digitally signed"), default=False)
    deleted_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("vault document")
        verbose_name_plural = _("vault documents")
        indexes = [models.Index(fields=["owner", "deleted_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "dossier"],
                condition=models.Q(source="result"),
                name="one_vault_copy_per_result",
            )
        ]

    def __str__(self):
        return self.title
