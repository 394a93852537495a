"""Dossiers, their immutable history, their per-step trace and their rule records
(SPEC §1, §2)."""

import hashlib
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PROCESSING = "processing", _("Processing")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Awaiting supplement")
    RESULT_READY = "result_ready", _("Result ready")
    RETURNED = "returned", _("Returned")
    REFUSED = "refused", _("Refused")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


#: States in which a dossier is finished: nothing more happens to it.
FINAL_STATES = frozenset(
    {
        Status.RETURNED,
        Status.REFUSED,
        Status.DECLINED,
        Status.CANCELLED,
        Status.WITHDRAWN,
        Status.EXPIRED,
    }
)
#: States whose clock is running or paused (the dossier is with the administration).
OPEN_STATES = frozenset(
    {Status.SUBMITTED, Status.PROCESSING, Status.AWAITING_SUPPLEMENT, Status.RESULT_READY}
)


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    DESK = "desk", _("At the desk")
    POSTAL = "postal", _("By post")
    NATIONAL_PORTAL = "national_portal", _("National public service portal")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class Dossier(models.Model):
    """One application, from draft to its final state."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("dossier code"), max_length=48, unique=True, null=True, blank=True)
    procedure = models.ForeignKey(
        "catalogue.Procedure",
        verbose_name=_("procedure"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    process_version = models.ForeignKey(
        "catalogue.ProcessVersion",
        verbose_name=_("process version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    agency = models.ForeignKey(
        "catalogue.Agency",
        verbose_name=_("handling agency"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    original_agency = models.ForeignKey(
        "catalogue.Agency",
        verbose_name=_("agency at submission"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="submitted_dossiers",
    )
    authorisation = models.TextField(
        _("authorisation"),
        blank=True,
        help_text=_("The authorisation under which someone submits for the applicant (HG 5.6)."),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    form_data = models.JSONField(_("form data"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Reception (VP 13.1, HG 6.1).
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reception_due_at = models.DateTimeField(_("to be received by"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_late = models.BooleanField(_("received late"), default=False)
    handover_due_at = models.DateTimeField(
        _("paper to reach the processing unit by"),
        null=True,
        blank=True,
        help_text=_("Paper dossiers: the same working day, or the next morning after 15:00."),
    )

    # The processing clock (HG 7.1): it runs from ``clock_started_at`` with
    # ``clock_remaining_us`` of working time left; paused, ``clock_started_at`` is empty.
    clock_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    clock_remaining_us = models.BigIntegerField(null=True, blank=True, editable=False)
    due_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("first appointment"), null=True, blank=True)
    paused_at = models.DateTimeField(_("clock paused at"), null=True, blank=True)

    supplement_count = models.PositiveSmallIntegerField(_("supplement requests"), default=0)
    extension_count = models.PositiveSmallIntegerField(_("extensions"), default=0)
    fee_paid_at = models.DateTimeField(_("fee paid at"), null=True, blank=True)
    current_step = models.ForeignKey(
        "DossierStep",
        verbose_name=_("current step"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    result_ready_at = models.DateTimeField(_("result ready at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    timeliness = models.CharField(
        _("timeliness"), max_length=8, choices=Timeliness.choices, blank=True
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        indexes = [
            models.Index(fields=["agency", "status", "due_at"]),
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["status", "reception_due_at"]),
            models.Index(fields=["applicant", "status"]),
            models.Index(fields=["agency", "received_at"]),
            # The province's figures of a period: dossiers received in it, whatever agency.
            models.Index(fields=["received_at"]),
            # The monthly late lists read dossiers settled late by date (BN 24.3).
            models.Index(
                Coalesce("result_ready_at", "finished_at"),
                condition=models.Q(timeliness="late"),
                name="dossier_late_settled_idx",
            ),
        ]

    def __str__(self):
        return self.code or str(self.public_id)

    @property
    def fee_due(self) -> int:
        return self.procedure.total_fee

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


#: How the history names each action, in the UI language.
ACTION_LABELS = {
    "submit": _("Submitted"),
    "receive": _("Received"),
    "request_supplement": _("Supplement requested"),
    "resubmit": _("Supplement provided"),
    "refuse": _("Refused"),
    "claim": _("Step taken"),
    "forward": _("Forwarded"),
    "send_back": _("Sent back"),
    "complete": _("Result ready"),
    "extend": _("Extended with an apology"),
    "confirm_extension": _("Extension confirmed"),
    "decline": _("Declined"),
    "return_result": _("Result returned"),
    "withdraw": _("Withdrawn"),
    "timeout": _("Cancelled: supplement not provided in time"),
    "expire": _("Expired: originals not brought in time"),
    "pay": _("Fee paid"),
    "agency_merged": _("Moved to the merged agency"),
}


class DossierEvent(models.Model):
    """One immutable history row per state change (SPEC §2)."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("time"))
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["dossier", "id"]
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        # The reports' lists of the dossiers behind a number: events of one kind in a period.
        indexes = [models.Index(fields=["action", "at"])]

    def __str__(self):
        return f"{self.dossier}: {self.action} {self.from_status}→{self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableRecord(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord(self)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


class ImmutableRecord(RuntimeError):
    """History is append-only."""


class DossierStep(models.Model):
    """A dossier's passage through one step of its process: the control sheet's row."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACTIVE = "active", _("In progress")
        DONE = "done", _("Done")

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="steps"
    )
    process_step = models.ForeignKey(
        "catalogue.ProcessStep",
        verbose_name=_("process step"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    role = models.CharField(_("role"), max_length=24)
    agency = models.ForeignKey(
        "catalogue.Agency",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="dossier_steps",
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossier_steps",
    )
    started_at = models.DateTimeField(_("received at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    timeliness = models.CharField(
        _("timeliness"), max_length=8, choices=Timeliness.choices, blank=True
    )

    class Meta:
        ordering = ["dossier", "order"]
        verbose_name = _("dossier step")
        verbose_name_plural = _("dossier steps")
        indexes = [
            models.Index(fields=["agency", "state", "due_at"]),
            # The monthly late lists: steps done late, and steps overdue (BN 24.3).
            models.Index(
                fields=["done_at"], condition=models.Q(timeliness="late"), name="step_late_done_idx"
            ),
            models.Index(
                fields=["due_at"], condition=models.Q(state="active"), name="step_active_due_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "order"], name="unique_dossier_step")
        ]

    def __str__(self):
        return f"{self.dossier} #{self.order}"


class SupplementRequest(models.Model):
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: what is missing; pauses the clock."""

    class Stage(models.TextChoices):
        RECEPTION = "reception", _("At reception")
        PROCESSING = "processing", _("During processing")

    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="supplement_requests",
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    items = models.JSONField(_("documents to add"), default=list)
    guidance = models.TextField(_("guidance"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    expires_at = models.DateTimeField(
        _("cancelled if unanswered by"),
        null=True,
        blank=True,
        help_text=_("Empty where the regulation sets no timeout."),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["dossier", "requested_at"]
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")
        indexes = [models.Index(fields=["answered_at", "expires_at"])]

    def __str__(self):
        return f"{self.dossier} — {self.requested_at:%d/%m/%Y}"


class Apology(models.Model):
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả, signed by the head of agency (VP 14)."""

    class Reason(models.TextChoices):
        EXTENSION = "extension", _("Extension of the processing time")
        REPEAT_SUPPLEMENT = "repeat_supplement", _("Second supplement request")

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="apologies"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    explanation = models.TextField(_("explanation"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"))
    previous_due_at = models.DateTimeField(_("previous appointment"), null=True, blank=True)
    new_due_at = models.DateTimeField(_("new appointment"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["dossier", "signed_at"]
        verbose_name = _("apology")
        verbose_name_plural = _("apologies")

    def __str__(self):
        return f"{self.dossier} — {self.get_reason_display()}"


class DailySequence(models.Model):
    """The last dossier number given by an agency on a day (Circular 01/2018 art. 19)."""

    agency_code = models.CharField(max_length=32)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency_code", "day"], name="unique_daily_sequence")
        ]

    def __str__(self):
        return f"{self.agency_code} {self.day:%y%m%d}: {self.last}"


def _file_path(instance, filename):
    return f"dossiers/{instance.dossier.public_id}/{filename}"


class StoredFile(models.Model):
    """A file kept through Django's storage API with its SHA-256 checksum and who put it."""

    file = models.FileField(_("file"), upload_to=_file_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name

    def store(self, name: str, content: bytes, extension: str, *, by) -> None:
        """Record and save the file under its checksum (the caller saves the row)."""
        self.original_name = name[:255]
        self.sha256 = hashlib.sha256(content).hexdigest()
        self.uploaded_by = by
        self.uploaded_at = timezone.now()
        self.file.save(f"{self.sha256}.{extension}", ContentFile(content), save=False)


class DossierFile(StoredFile):
    """A document of a dossier; scans record who digitised them and keep, beside the
    officer's file, a copy stamped with their QR code (TT 01/2023/TT-VPCP)."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="files"
    )
    component = models.ForeignKey(
        "catalogue.Component",
        verbose_name=_("component"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_format = models.CharField(_("format"), max_length=8)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    scanned = models.BooleanField(_("scanned at the desk"), default=False)
    scan_qr = models.TextField(_("QR content of the scan"), blank=True)
    stamped_file = models.FileField(
        _("stamped copy"), upload_to=_file_path, blank=True, max_length=255
    )
    stamped_sha256 = models.CharField(
        _("SHA-256 checksum of the stamped copy"), max_length=64, blank=True
    )

    class Meta:
        ordering = ["dossier", "component__order", "id"]
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")

    def store_stamped(self, content: bytes, extension: str) -> None:
        """Record and save the stamped copy of a scan under its own checksum, beside the
        original (the caller saves the row)."""
        self.stamped_sha256 = hashlib.sha256(content).hexdigest()
        self.stamped_file.save(
            f"{self.stamped_sha256}.{extension}", ContentFile(content), save=False
        )


class DossierResult(StoredFile):
    """The result of a settled dossier: the document, its checksum and its signature
    (SPEC §2 "Results": signed PDFs, delivered after fees are paid, VP 16.1)."""

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="result"
    )
    signed = models.BooleanField(_("digitally signed"), default=False)
    signature_summary = models.CharField(_("signature check"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
