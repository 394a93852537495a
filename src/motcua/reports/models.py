"""Report tallies: counters per agency, procedure and reporting month, kept up to date in
the transaction of every state change, so a report reads a few hundred rows however long
the history is (SPEC §3 item 18, §6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

#: The counters of a tally, in the order of the statistics form (Biểu 06, TT 01/2018).
COUNTERS = (
    "received_online",
    "received_desk",
    "received_postal",
    "received_national",
    "received_full_online",
    "digitised",
    "settled_early",
    "settled_on_time",
    "settled_late",
    "declined",
    "withdrawn",
    "cancelled",
    "moved_in",
    "moved_out",
    "paid",
    "paid_online",
    "returned",
    "e_results",
)


class MonthOfProcedure(models.Model):
    """Figures of one procedure at one agency in one reporting month."""

    agency = models.ForeignKey(
        "catalogue.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    procedure = models.ForeignKey(
        "catalogue.Procedure",
        verbose_name=_("procedure"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    month = models.DateField(_("reporting month"))

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.agency_id}/{self.procedure_id}/{self.month:%Y-%m}"


class Tally(MonthOfProcedure):
    """What happened in one reporting month to the dossiers of one procedure at one agency.

    ``received_*`` count receptions by channel; ``settled_*`` results made ready or declined
    (``declined`` is also counted in ``settled_*``); ``withdrawn`` and ``cancelled`` received
    dossiers that left unsettled; ``moved_in``/``moved_out`` open dossiers carried by an
    agency merge. Dossiers in progress are derived: those open today less what happened since.
    """

    received_online = models.PositiveIntegerField(default=0)
    received_desk = models.PositiveIntegerField(default=0)
    received_postal = models.PositiveIntegerField(default=0)
    received_national = models.PositiveIntegerField(default=0)
    received_full_online = models.PositiveIntegerField(default=0)
    digitised = models.PositiveIntegerField(default=0)
    settled_early = models.PositiveIntegerField(default=0)
    settled_on_time = models.PositiveIntegerField(default=0)
    settled_late = models.PositiveIntegerField(default=0)
    declined = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    moved_in = models.PositiveIntegerField(default=0)
    moved_out = models.PositiveIntegerField(default=0)
    paid = models.PositiveIntegerField(default=0)
    paid_online = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    e_results = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("report tally")
        verbose_name_plural = _("report tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "procedure", "month"], name="one_tally_per_month"
            )
        ]
        indexes = [models.Index(fields=["month", "agency"])]


class MonthEnd(MonthOfProcedure):
    """Dossiers in progress when a reporting month closed, and how many of them were
    overdue then: a past month's "in progress" cannot be read back from today's state."""

    in_progress = models.PositiveIntegerField(_("in progress"), default=0)
    overdue = models.PositiveIntegerField(_("overdue"), default=0)
    taken_at = models.DateTimeField(_("taken at"))

    class Meta:
        verbose_name = _("month-end snapshot")
        verbose_name_plural = _("month-end snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "procedure", "month"], name="one_month_end_per_month"
            )
        ]
        indexes = [models.Index(fields=["month", "agency"])]


def _report_path(instance, filename):
    return f"reports/{instance.first_month:%Y/%m}/{filename}"


class StoredReport(models.Model):
    """A report file kept as issued: made on the profile's report dates (HT 14, VP 24.1,
    HG 21) or on request, and, for the monthly late lists, published on the Portal
    (BN 24.3)."""

    class Kind(models.TextChoices):
        STATISTICS = "statistics", _("Statistics of settling procedures")
        INDEX = "index766", _("Service index (Decision 766)")
        LATE_LIST = "late_list", _("List of late dossiers")

    kind = models.CharField(_("report"), max_length=16, choices=Kind.choices)
    period_kind = models.CharField(_("period"), max_length=10)
    first_month = models.DateField(_("first reporting month"))
    last_month = models.DateField(_("last reporting month"))
    agency = models.ForeignKey(
        "catalogue.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the whole province."),
    )
    file_format = models.CharField(_("format"), max_length=8)
    file = models.FileField(_("file"), upload_to=_report_path, max_length=255)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    created_at = models.DateTimeField(_("made at"))
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("made by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: made on the scheduled date."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-first_month", "kind"]
        verbose_name = _("stored report")
        verbose_name_plural = _("stored reports")
        indexes = [models.Index(fields=["kind", "first_month"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.first_month:%m/%Y}–{self.last_month:%m/%Y}"
