"""The catalogue: the province's organisation tree, one-stop desks, fields, procedures and
their versioned electronic processes (SPEC §1)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import PROCESS_ROLES

from .text import fold

AGENCY_CODE = RegexValidator(
    r"^[0-9A-Z]+(\.[0-9A-Z]+)*$",
    _("An agency code is dot-separated upper-case letters and digits (e.g. 000.00.15.H06)."),
)


class Agency(models.Model):
    """A node of the organisation tree. Never deleted: renamed, merged or closed over time."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province People's Committee")
        DEPARTMENT = "department", _("Department")
        CENTER = "center", _("Public administration service centre")
        DISTRICT = "district", _("District (before 1 July 2025)")
        COMMUNE = "commune", _("Commune / ward")
        UNIT = "unit", _("Unit")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        MERGED = "merged", _("Merged")
        CLOSED = "closed", _("Closed")

    code = models.CharField(_("code"), max_length=32, unique=True, validators=[AGENCY_CODE])
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=128, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        indexes = [models.Index(fields=["parent", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="merged") | models.Q(merged_into__isnull=False),
                name="merged_agency_has_target",
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def successor(self) -> "Agency":
        """The agency that answers for this one today: itself, or where it was merged."""
        agency, seen = self, {self.pk}
        while agency.merged_into_id is not None and agency.merged_into_id not in seen:
            seen.add(agency.merged_into_id)
            agency = agency.merged_into
        return agency

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("An agency cannot be its own ancestor.")})
            ancestor = ancestor.parent


class AgencyEvent(models.Model):
    """Append-only record of a reorganisation: creation, rename, merge, closing."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        RENAMED = "renamed", _("Renamed")
        MERGED = "merged", _("Merged")
        CLOSED = "closed", _("Closed")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    occurred_on = models.DateField(_("effective date"))
    old_name = models.CharField(_("old name"), max_length=255, blank=True)
    new_name = models.CharField(_("new name"), max_length=255, blank=True)
    target = models.ForeignKey(
        Agency,
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.CharField(_("deciding document"), max_length=255, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = _("agency event")
        verbose_name_plural = _("agency events")

    def __str__(self):
        return f"{self.agency} — {self.get_kind_display()} ({self.occurred_on:%d/%m/%Y})"


class OneStopDesk(models.Model):
    """A reception desk: the only staff who talk to applicants (HG 19.9)."""

    name = models.CharField(_("name"), max_length=255)
    agency = models.ForeignKey(
        Agency, verbose_name=_("managing agency"), on_delete=models.PROTECT, related_name="desks"
    )
    served_agencies = models.ManyToManyField(
        Agency, verbose_name=_("agencies served"), related_name="served_by_desks"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("one-stop desk")
        verbose_name_plural = _("one-stop desks")

    def __str__(self):
        return self.name


class Field(models.Model):
    """A field of procedures (lĩnh vực), e.g. civil status, construction."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("field")
        verbose_name_plural = _("fields")

    def __str__(self):
        return self.name


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Full online service")
    PARTIAL = "partial", _("Partial online service")
    OFFLINE = "offline", _("Not online")


class Procedure(models.Model):
    """An administrative procedure of the catalogue (BN 6, HT 3.1.a)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        COMMUNE = "commune", _("Commune")

    class ResultKind(models.TextChoices):
        PAPER = "paper", _("Paper")
        ELECTRONIC = "electronic", _("Electronic")
        BOTH = "both", _("Paper and electronic")

    national_code = models.CharField(
        _("national code"),
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(r"^\d\.\d{6}(\.\d+)?$", _("A national code looks like 1.001193."))
        ],
    )
    name = models.CharField(_("name"), max_length=500)
    search_text = models.TextField(editable=False, db_index=False)
    field = models.ForeignKey(
        Field, verbose_name=_("field"), on_delete=models.PROTECT, related_name="procedures"
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("competent agencies"), related_name="procedures"
    )
    online_level = models.CharField(_("online level"), max_length=8, choices=OnlineLevel.choices)
    processing_days = models.DecimalField(
        _("processing time (working days)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    processing_time_note = models.TextField(_("processing time notes"), blank=True)
    applicant_kinds = models.JSONField(_("who may apply"), default=list)
    result_type = models.CharField(_("result"), max_length=500)
    result_kind = models.CharField(
        _("result form"), max_length=16, choices=ResultKind.choices, default=ResultKind.PAPER
    )
    legal_basis = models.TextField(_("legal basis"), help_text=_("One document per line."))
    form_schema = models.JSONField(_("e-form schema"), default=dict, blank=True)
    is_active = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        indexes = [models.Index(fields=["field", "level", "online_level"])]

    def __str__(self):
        return f"{self.national_code} — {self.name}"

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.name} {self.national_code}")
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def clean(self):
        from .forms_schema import FormSchemaError, validate_form_schema

        try:
            validate_form_schema(self.form_schema)
        except FormSchemaError as error:
            raise ValidationError({"form_schema": str(error)}) from None
        unknown = set(self.applicant_kinds) - {"citizen", "organisation"}
        if unknown or not self.applicant_kinds:
            raise ValidationError({"applicant_kinds": _("Choose citizen and/or organisation.")})

    @property
    def total_fee(self) -> int:
        return sum(fee.amount for fee in self.fees.all())

    def current_process(self, agency: "Agency | None" = None):
        """The published process version a new dossier at ``agency`` starts with: the
        agency's own version if it has one, else the procedure's general one."""
        published = self.process_versions.filter(status=ProcessVersion.Status.PUBLISHED)
        versions = {version.agency_id: version for version in published}
        return versions.get(agency.pk if agency else None) or versions.get(None)


class Fee(models.Model):
    """A fee or charge of a procedure, in VND."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="fees"
    )
    name = models.CharField(_("name"), max_length=255)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    note = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["procedure", "id"]
        verbose_name = _("fee")
        verbose_name_plural = _("fees")

    def __str__(self):
        return f"{self.name}: {self.amount:,} đ"


class Component(models.Model):
    """A document of a procedure's dossier, with its accepted formats and size limit."""

    FORMATS = ["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx"]

    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("procedure"),
        on_delete=models.CASCADE,
        related_name="components",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=500)
    required = models.BooleanField(_("required"), default=True)
    original_required = models.BooleanField(
        _("original must be checked"),
        default=False,
        help_text=_("The original is checked at the desk before the result is returned."),
    )
    copies = models.PositiveSmallIntegerField(_("number of copies"), default=1)
    formats = models.JSONField(_("accepted formats"), default=list)
    max_size_mb = models.PositiveSmallIntegerField(
        _("maximum size (MB)"), default=10, validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["procedure", "order"]
        verbose_name = _("dossier component")
        verbose_name_plural = _("dossier components")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "order"], name="unique_component_order")
        ]

    def __str__(self):
        return self.name

    def clean(self):
        unknown = set(self.formats) - set(self.FORMATS)
        if unknown or not self.formats:
            raise ValidationError(
                {"formats": _("Choose formats among: %s.") % ", ".join(self.FORMATS)}
            )


class ProcessVersionLocked(ValidationError):
    """A published or retired process version was about to change."""

    def __init__(self, version):
        super().__init__(
            _("Process version %(version)s is %(status)s and can no longer change."),
            code="process_version_locked",
            params={"version": version.number, "status": version.get_status_display()},
        )


class ProcessVersion(models.Model):
    """A version of a procedure's electronic process. Published versions never change: a
    dossier keeps the version it started with (SPEC §1)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("procedure"),
        on_delete=models.PROTECT,
        related_name="process_versions",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="process_versions",
        help_text=_("Leave empty for the process every competent agency follows."),
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    note = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["procedure", "-number"]
        verbose_name = _("process version")
        verbose_name_plural = _("process versions")
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "number"],
                condition=models.Q(agency__isnull=True),
                name="unique_general_process_version",
            ),
            models.UniqueConstraint(
                fields=["procedure", "agency", "number"],
                condition=models.Q(agency__isnull=False),
                name="unique_agency_process_version",
            ),
        ]

    def __str__(self):
        scope = f" ({self.agency})" if self.agency_id else ""
        return f"{self.procedure.national_code} v{self.number}{scope}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class ProcessStep(models.Model):
    """One step of a process: who (role, unit) does what within how many working hours;
    a hand-off step passes the dossier to another agency's process (liên thông, HG 7.1)."""

    version = models.ForeignKey(
        ProcessVersion,
        verbose_name=_("process version"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=255)
    role = models.CharField(
        _("role"), max_length=24, choices=[(r.value, r.label) for r in PROCESS_ROLES]
    )
    unit = models.ForeignKey(
        Agency,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="process_steps",
        help_text=_(
            "Leave empty for the agency handling the dossier (its one-stop desk for "
            "reception steps)."
        ),
    )
    allotted_hours = models.DecimalField(
        _("allotted working hours"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25"))],
    )
    is_handoff = models.BooleanField(
        _("hand-off to another agency"),
        default=False,
        help_text=_("The unit belongs to another agency, which processes this step."),
    )

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="unique_step_order")
        ]

    def __str__(self):
        return f"{self.order}. {self.name}"

    def save(self, *args, **kwargs):
        self._check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_editable()
        return super().delete(*args, **kwargs)

    def clean(self):
        if self.is_handoff and self.unit_id is None:
            raise ValidationError({"unit": _("A hand-off step names the agency it goes to.")})

    def _check_editable(self):
        """Read the version's status from the database: a stale copy must not slip through."""
        status = ProcessVersion.objects.values_list("status", flat=True).get(pk=self.version_id)
        if status != ProcessVersion.Status.DRAFT:
            self.version.refresh_from_db(fields=["status"])
            raise ProcessVersionLocked(self.version)
