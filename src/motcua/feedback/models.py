"""Ratings of finished dossiers, feedback (PAKN) with its answer, and the FAQ per field
(BN 8.2, 8.4, 17; HG 12–14.4; TN 5.7)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .criteria import CRITERIA, LEVELS

LEVEL_CHOICES = [(level.points, level.label) for level in LEVELS]


class Rating(models.Model):
    """The applicant's evaluation of one finished dossier: one per dossier (BN 8.4)."""

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="rating",
    )
    # Copied from the dossier when rated, so the public summary is one indexed aggregate.
    agency = models.ForeignKey(
        "catalogue.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    procedure = models.ForeignKey(
        "catalogue.Procedure",
        verbose_name=_("procedure"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("overall satisfaction"), choices=LEVEL_CHOICES
    )
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"))

    class Meta:
        ordering = ["-rated_at"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        # Per agency (the public summary) and, for the province's figures, by date alone.
        indexes = [models.Index(fields=["agency", "rated_at"]), models.Index(fields=["rated_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__lte=max(p for p, _label in LEVEL_CHOICES)),
                name="rating_satisfaction_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.dossier}: {self.get_satisfaction_display()}"


class RatingScore(models.Model):
    """The points given to one criterion in one rating."""

    rating = models.ForeignKey(
        Rating, verbose_name=_("rating"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.CharField(
        _("criterion"), max_length=32, choices=[(c.code, c.label) for c in CRITERIA]
    )
    points = models.PositiveSmallIntegerField(_("points"), choices=LEVEL_CHOICES)

    class Meta:
        ordering = ["rating", "id"]
        verbose_name = _("rating score")
        verbose_name_plural = _("rating scores")
        constraints = [
            models.UniqueConstraint(fields=["rating", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.points}"


class Feedback(models.Model):
    """A reflection or recommendation about a procedure or an agency (PAKN; BN 17, HG 12-13)."""

    class Kind(models.TextChoices):
        REFLECTION = "reflection", _("Reflection")
        RECOMMENDATION = "recommendation", _("Recommendation")

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting an answer")
        ANSWERED = "answered", _("Answered")

    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    agency = models.ForeignKey(
        "catalogue.Agency",
        verbose_name=_("concerned agency"),
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    procedure = models.ForeignKey(
        "catalogue.Procedure",
        verbose_name=_("procedure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    subject = models.CharField(_("subject"), max_length=255)
    content = models.TextField(_("content"))
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    # Who to answer (NĐ 20/2008 Điều 7): never shown publicly.
    name = models.CharField(_("name"), max_length=255)
    phone = models.CharField(_("phone number"), max_length=15, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    publish_consent = models.BooleanField(_("agrees to publication"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    received_at = models.DateTimeField(_("received at"))
    answer_due_at = models.DateTimeField(_("answer due by"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        indexes = [
            models.Index(fields=["status", "agency", "answer_due_at"]),
            models.Index(fields=["status", "publish_consent", "answered_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open") | ~models.Q(answer=""),
                name="answered_feedback_has_answer",
            ),
        ]

    def __str__(self):
        return self.tracking_code

    @property
    def is_published(self) -> bool:
        """Answered, and the submitter agreed to publication."""
        return self.status == self.Status.ANSWERED and self.publish_consent


class FaqEntry(models.Model):
    """A frequently asked question and its answer, per field (HG 14.4, TN 5.7). Never
    deleted: unpublished entries leave the public list and keep their history."""

    field = models.ForeignKey(
        "catalogue.Field", verbose_name=_("field"), on_delete=models.PROTECT, related_name="faq"
    )
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"))
    search_text = models.TextField(editable=False)
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["field__name", "id"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        indexes = [models.Index(fields=["is_published", "field"])]

    def __str__(self):
        return self.question[:80]


class FaqChange(models.Model):
    """Append-only record of each change to an FAQ entry: who, when, what it said after."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        UNPUBLISHED = "unpublished", _("Unpublished")
        REPUBLISHED = "republished", _("Published again")

    entry = models.ForeignKey(
        FaqEntry, verbose_name=_("FAQ entry"), on_delete=models.PROTECT, related_name="changes"
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    snapshot = models.JSONField(_("entry after the change"), default=dict)

    class Meta:
        ordering = ["entry", "id"]
        verbose_name = _("FAQ change")
        verbose_name_plural = _("FAQ changes")

    def __str__(self):
        return f"{self.entry_id}: {self.action} ({self.at:%d/%m/%Y %H:%M})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("FAQ history is append-only")
        super().save(*args, **kwargs)
