"""Who may look citizens up in the national population database, and the log of every lookup
(BN 9.3, HG 10: per-officer registration approved by the provincial police, no shared
accounts, usage followed by the police)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImmutableLookupLog(RuntimeError):
    """The lookup log is append-only: entries are never changed nor deleted."""


class RegisteredOfficer(models.Model):
    """A staff member registered (and approved by the police) to look citizens up.

    One registration per person: the account is personal, never shared (HG 10.2). Revoking
    sets ``active`` to false; the row stays as the record of the registration."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="population_registration",
    )
    decision_number = models.CharField(
        _("registration document number"),
        max_length=64,
        help_text=_("The document by which the police approved the registration."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    active = models.BooleanField(_("active"), default=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("registered officer")
        verbose_name_plural = _("registered officers")

    def __str__(self):
        return f"{self.user} ({self.decision_number})"

    def clean(self):
        if self.user_id is not None and not self.user.is_staff_member:
            raise ValidationError({"user": _("Only staff members can be registered.")})


class LookupQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableLookupLog("population lookups cannot be changed")

    def delete(self):
        raise ImmutableLookupLog("population lookups cannot be deleted")


class PopulationLookup(models.Model):
    """One lookup by one officer: who, for which agency, whom, why, when, and what came back.
    The citizen's data is not kept; the personal ID number is, as the audited subject."""

    class Outcome(models.TextChoices):
        FOUND = "found", _("Found")
        NOT_FOUND = "not_found", _("Not found")
        UNAVAILABLE = "unavailable", _("Database unavailable")

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("looked up by"),
        on_delete=models.PROTECT,
        related_name="population_lookups",
    )
    agency = models.ForeignKey(
        "catalogue.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The officer's agency at the time of the lookup."),
    )
    personal_id = models.CharField(_("personal ID number looked up"), max_length=12)
    purpose = models.TextField(_("purpose"))
    dossier_code = models.CharField(_("dossier code"), max_length=48, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    failure = models.CharField(
        _("failure reason"),
        max_length=32,
        blank=True,
        help_text=_("Why the database could not answer."),
    )

    objects = LookupQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("population lookup")
        verbose_name_plural = _("population lookups")
        indexes = [
            models.Index(fields=["at"]),
            models.Index(fields=["agency", "at"]),
            models.Index(fields=["officer", "at"]),
            models.Index(fields=["personal_id"]),
        ]

    def __str__(self):
        return f"{self.officer} → {self.personal_id} ({self.at:%d/%m/%Y %H:%M})"

    def save(self, *args, **kwargs):
        if not self._state.adding or self.pk is not None:
            raise ImmutableLookupLog("population lookups cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableLookupLog("population lookups cannot be deleted")
