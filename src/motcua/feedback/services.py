"""Ratings, feedback (PAKN) and the FAQ (SPEC §3 items 7 and 8).

Every change is one transaction that locks what it changes; a refused request raises
:class:`FeedbackError` (with a stable ``code`` and, when one input is at fault, its ``field``)
before anything is written.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import PROCESS_ROLES, Role, User
from motcua.calendar.services import calendar_for
from motcua.catalogue.models import Agency, Field, Procedure
from motcua.catalogue.text import fold
from motcua.dossiers.access import agency_scope
from motcua.dossiers.models import Dossier, Status
from motcua.outbox.services import Message, enqueue
from motcua.profiles import active_profile

from .criteria import CRITERIA, CRITERIA_BY_CODE, LEVEL_LABELS, SATISFIED_FROM
from .models import FaqChange, FaqEntry, Feedback, Rating, RatingScore

#: Final states in which the administration actually decided on the dossier: the result was
#: returned, or the dossier was refused at reception or declined ("không giải quyết"). A
#: withdrawn, cancelled or expired dossier was never settled, so there is nothing to rate
#: (NĐ 61/2018 Điều 31: the evaluation is of the settlement of the procedure).
RATEABLE_STATES = frozenset({Status.RETURNED, Status.REFUSED, Status.DECLINED})

#: Who maintains the FAQ: the province office leads it (HG 14.4), the officers of the agencies
#: who settle the procedures of each field contribute (TN 5.7). Not the police auditors of the
#: population database nor the system operators.
FAQ_EDITOR_ROLES = frozenset({*PROCESS_ROLES, Role.AGENCY_ADMIN, Role.PROVINCE_MONITOR})

COMMENT_MAX_LENGTH = 2000
CONTENT_MAX_LENGTH = 5000
ANSWER_MIN_LENGTH = 10
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class FeedbackError(Exception):
    code = "feedback_error"
    default_message = _("The request cannot be performed.")

    def __init__(self, message=None, *, code: str | None = None, field: str | None = None):
        self.message = str(message or self.default_message)
        self.code = code or self.code
        self.field = field
        super().__init__(self.message)


class Forbidden(FeedbackError):
    code = "forbidden"
    default_message = _("You are not allowed to do this.")


# --- Ratings (BN 8.4) ---------------------------------------------------------------------


def rateable_dossier(user: User, public_id) -> Dossier:
    """The user's own dossier with this id, or ``Dossier.DoesNotExist``: another person's
    dossier is as unknown as a missing one. Only the applicant rates, not a submitter acting
    under an authorisation."""
    return Dossier.objects.select_related("agency", "procedure").get(
        public_id=public_id, applicant=user
    )


def can_rate(dossier: Dossier) -> bool:
    return dossier.status in RATEABLE_STATES and not Rating.objects.filter(dossier=dossier).exists()


def rate(
    dossier: Dossier,
    user: User,
    *,
    satisfaction: int,
    scores: dict[str, int | None],
    comment: str = "",
    at: datetime | None = None,
) -> Rating:
    """Record the applicant's rating of a finished dossier, once (BN 8.4)."""
    comment = (comment or "").strip()
    if satisfaction not in LEVEL_LABELS:
        raise FeedbackError(
            _("Choose your overall satisfaction."), code="invalid", field="satisfaction"
        )
    for criterion in CRITERIA:
        points = scores.get(criterion.code)
        if points is None and not criterion.optional:
            raise FeedbackError(_("Answer this question."), code="required", field=criterion.code)
        if points is not None and points not in LEVEL_LABELS:
            raise FeedbackError(
                _("Choose one of the answers."), code="invalid", field=criterion.code
            )
    unknown = set(scores) - set(CRITERIA_BY_CODE)
    if unknown:
        raise FeedbackError(code="invalid", field=sorted(unknown)[0])
    if len(comment) > COMMENT_MAX_LENGTH:
        raise FeedbackError(
            _("Keep the comment under %(n)d characters.") % {"n": COMMENT_MAX_LENGTH},
            code="too_long",
            field="comment",
        )
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.applicant_id != user.pk:
            raise Forbidden(_("Only the applicant rates a dossier."))
        if locked.status not in RATEABLE_STATES:
            raise FeedbackError(
                _("A dossier can be rated once it has been settled or refused."),
                code="not_finished",
            )
        if Rating.objects.filter(dossier=locked).exists():
            raise FeedbackError(_("This dossier has already been rated."), code="already_rated")
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    dossier=locked,
                    agency_id=locked.agency_id,
                    procedure_id=locked.procedure_id,
                    satisfaction=satisfaction,
                    comment=comment,
                    rated_at=at or timezone.now(),
                )
        except IntegrityError:
            raise FeedbackError(
                _("This dossier has already been rated."), code="already_rated"
            ) from None
        RatingScore.objects.bulk_create(
            RatingScore(rating=rating, criterion=code, points=points)
            for code, points in scores.items()
            if points is not None
        )
    return rating


@dataclass(frozen=True)
class AgencyRatings:
    agency: Agency
    count: int
    satisfied: int
    average: float | None  # overall satisfaction, 0..MAX_POINTS

    @property
    def satisfied_percent(self) -> float | None:
        return 100 * self.satisfied / self.count if self.count else None


def ratings_by_agency() -> list[AgencyRatings]:
    """Count, satisfied count and average overall satisfaction of each rated agency."""
    rows = (
        Rating.objects.values("agency")
        .annotate(
            count=Count("id"),
            satisfied=Count("id", filter=Q(satisfaction__gte=SATISFIED_FROM)),
            average=Avg("satisfaction"),
        )
        .order_by()
    )
    agencies = Agency.objects.in_bulk([row["agency"] for row in rows])
    summary = [
        AgencyRatings(agencies[row["agency"]], row["count"], row["satisfied"], row["average"])
        for row in rows
    ]
    return sorted(summary, key=lambda item: item.agency.name)


@dataclass(frozen=True)
class CriterionAverage:
    code: str
    label: str
    article: str
    count: int
    average: float | None


def agency_ratings(agency: Agency) -> tuple[AgencyRatings, list[CriterionAverage], list]:
    """One agency's totals, the average of each criterion, and how many gave each level."""
    ratings = Rating.objects.filter(agency=agency)
    totals = ratings.aggregate(
        count=Count("id"),
        satisfied=Count("id", filter=Q(satisfaction__gte=SATISFIED_FROM)),
        average=Avg("satisfaction"),
    )
    per_criterion = {
        row["criterion"]: row
        for row in RatingScore.objects.filter(rating__agency=agency)
        .values("criterion")
        .annotate(count=Count("id"), average=Avg("points"))
        .order_by()
    }
    criteria = [
        CriterionAverage(
            criterion.code,
            criterion.label,
            criterion.article,
            per_criterion.get(criterion.code, {}).get("count", 0),
            per_criterion.get(criterion.code, {}).get("average"),
        )
        for criterion in CRITERIA
    ]
    levels = dict(ratings.values_list("satisfaction").annotate(n=Count("id")).order_by())
    distribution = [(label, levels.get(points, 0)) for points, label in LEVEL_LABELS.items()]
    summary = AgencyRatings(agency, totals["count"], totals["satisfied"], totals["average"])
    return summary, criteria, distribution


# --- Feedback (BN 17, HG 12-13) -----------------------------------------------------------


def _tracking_code() -> str:
    return "PA-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


def submit_feedback(
    *,
    user: User | None,
    agency: Agency,
    kind: str,
    subject: str,
    content: str,
    procedure: Procedure | None = None,
    name: str = "",
    phone: str = "",
    email: str = "",
    publish_consent: bool = False,
    at: datetime | None = None,
) -> Feedback:
    """Receive a feedback and fix its answer deadline on the working calendar (BN 17.2:
    10 working days from reception, per the profile). Someone not signed in gives a name and
    a phone number or an e-mail address to be answered at (NĐ 20/2008 Điều 7)."""
    user = user if user is not None and user.is_authenticated else None
    subject, content = " ".join((subject or "").split()), (content or "").strip()
    name, phone, email = (name or "").strip(), (phone or "").strip(), (email or "").strip()
    if user is not None:
        name = name or user.full_name or user.username
        phone = phone or user.phone
        email = email or user.email
    if kind not in Feedback.Kind.values:
        raise FeedbackError(_("Choose reflection or recommendation."), code="invalid", field="kind")
    if agency.status != Agency.Status.ACTIVE:
        raise FeedbackError(
            _("Choose an agency that is still active."), code="inactive_agency", field="agency"
        )
    if procedure is not None and not procedure.agencies.filter(pk=agency.pk).exists():
        raise FeedbackError(
            _("This procedure is not handled by the chosen agency."),
            code="procedure_agency",
            field="procedure",
        )
    if not subject:
        raise FeedbackError(_("Give a subject."), code="required", field="subject")
    if not content:
        raise FeedbackError(_("Describe your feedback."), code="required", field="content")
    if len(content) > CONTENT_MAX_LENGTH:
        raise FeedbackError(
            _("Keep the content under %(n)d characters.") % {"n": CONTENT_MAX_LENGTH},
            code="too_long",
            field="content",
        )
    if not name:
        raise FeedbackError(_("Give your name."), code="required", field="name")
    if not phone and not email:
        raise FeedbackError(
            _("Give a phone number or an e-mail address so that we can answer you."),
            code="contact_required",
            field="phone",
        )
    received_at = at or timezone.now()
    profile = active_profile()
    due = profile.feedback.answer_within.after(received_at, calendar_for(profile))
    with transaction.atomic():
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    return Feedback.objects.create(
                        tracking_code=_tracking_code(),
                        kind=kind,
                        agency=agency,
                        procedure=procedure,
                        subject=subject[:255],
                        content=content,
                        submitter=user,
                        name=name[:255],
                        phone=phone,
                        email=email,
                        publish_consent=publish_consent,
                        received_at=received_at,
                        answer_due_at=due,
                    )
            except IntegrityError:
                continue
    raise FeedbackError(code="code_exhausted")


def find_feedback(tracking_code: str) -> Feedback | None:
    code = (tracking_code or "").strip().upper()
    if not code:
        return None
    return Feedback.objects.select_related("agency", "procedure").filter(tracking_code=code).first()


def feedback_scope(user: User) -> Q:
    """The feedback a staff member answers: their agency's (and the units below it), or
    all of it for the province monitor."""
    if not user.is_staff_member or not user.is_active:
        return Q(pk__in=[])
    if user.role == Role.PROVINCE_MONITOR:
        return Q()
    return Q(agency_id__in=agency_scope(user))


def open_feedback(user: User):
    """Open feedback in the user's scope, the nearest deadline first."""
    return (
        Feedback.objects.filter(feedback_scope(user), status=Feedback.Status.OPEN)
        .select_related("agency", "procedure")
        .order_by("answer_due_at", "id")
    )


def answer_feedback(feedback: Feedback, user: User, answer: str, *, at=None) -> Feedback:
    """Answer an open feedback and tell the submitter (BN 17.2)."""
    answer = (answer or "").strip()
    if len(answer) < ANSWER_MIN_LENGTH:
        raise FeedbackError(
            _("Write an answer of at least %(n)d characters.") % {"n": ANSWER_MIN_LENGTH},
            code="required",
            field="answer",
        )
    with transaction.atomic():
        locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
        if not Feedback.objects.filter(feedback_scope(user), pk=locked.pk).exists():
            raise Forbidden(_("This feedback is for another agency."))
        if locked.status != Feedback.Status.OPEN:
            raise FeedbackError(_("This feedback has already been answered."), code="answered")
        locked.status = Feedback.Status.ANSWERED
        locked.answer = answer
        locked.answered_at = at or timezone.now()
        locked.answered_by = user
        locked.save(update_fields=["status", "answer", "answered_at", "answered_by"])
        enqueue(
            Message(
                "notify.feedback_answered",
                f"feedback-answered:{locked.pk}",
                # The notifier reads the contacts from the feedback: no personal data here.
                {
                    "tracking_code": locked.tracking_code,
                    "answered_at": locked.answered_at.isoformat(),
                },
            )
        )
    return locked


def published_feedback():
    """Answered feedback whose submitters agreed to publication, newest answer first."""
    return (
        Feedback.objects.filter(status=Feedback.Status.ANSWERED, publish_consent=True)
        .select_related("agency", "procedure")
        .order_by("-answered_at", "-id")
    )


# --- FAQ (HG 14.4, TN 5.7) ----------------------------------------------------------------


def can_edit_faq(user) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.is_staff_member
        and user.is_active
        and user.role in FAQ_EDITOR_ROLES
    )


def _check_editor(user) -> None:
    if not can_edit_faq(user):
        raise Forbidden(_("You do not maintain the questions and answers."))


def _snapshot(entry: FaqEntry) -> dict:
    return {
        "field": entry.field_id,
        "question": entry.question,
        "answer": entry.answer,
        "is_published": entry.is_published,
    }


def _record(entry: FaqEntry, action: str, user: User, at: datetime) -> None:
    FaqChange.objects.create(entry=entry, action=action, by=user, at=at, snapshot=_snapshot(entry))


def _clean_entry(question: str, answer: str) -> tuple[str, str]:
    question, answer = (question or "").strip(), (answer or "").strip()
    if not question:
        raise FeedbackError(_("Write the question."), code="required", field="question")
    if not answer:
        raise FeedbackError(_("Write the answer."), code="required", field="answer")
    return question, answer


def create_faq(user: User, *, field: Field, question: str, answer: str) -> FaqEntry:
    _check_editor(user)
    question, answer = _clean_entry(question, answer)
    now = timezone.now()
    with transaction.atomic():
        entry = FaqEntry.objects.create(
            field=field,
            question=question,
            answer=answer,
            search_text=fold(f"{question} {answer}"),
            created_at=now,
            created_by=user,
            updated_at=now,
            updated_by=user,
        )
        _record(entry, FaqChange.Action.CREATED, user, now)
    return entry


def edit_faq(user: User, entry: FaqEntry, *, field: Field, question: str, answer: str) -> FaqEntry:
    _check_editor(user)
    question, answer = _clean_entry(question, answer)
    now = timezone.now()
    with transaction.atomic():
        locked = FaqEntry.objects.select_for_update().get(pk=entry.pk)
        locked.field, locked.question, locked.answer = field, question, answer
        locked.search_text = fold(f"{question} {answer}")
        locked.updated_at, locked.updated_by = now, user
        locked.save()
        _record(locked, FaqChange.Action.EDITED, user, now)
    return locked


def set_faq_published(user: User, entry: FaqEntry, published: bool) -> FaqEntry:
    """Unpublish (or publish again) an entry; it is never deleted."""
    _check_editor(user)
    now = timezone.now()
    with transaction.atomic():
        locked = FaqEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.is_published == published:
            return locked
        locked.is_published = published
        locked.updated_at, locked.updated_by = now, user
        locked.save(update_fields=["is_published", "updated_at", "updated_by"])
        action = FaqChange.Action.REPUBLISHED if published else FaqChange.Action.UNPUBLISHED
        _record(locked, action, user, now)
    return locked


def published_faq(query: str = "", field: Field | None = None):
    """Published entries, accent-insensitive search on question and answer."""
    entries = FaqEntry.objects.filter(is_published=True).select_related("field")
    if field is not None:
        entries = entries.filter(field=field)
    for word in fold(query or "").split():
        entries = entries.filter(search_text__contains=word)
    return entries.order_by("field__name", "id")


def faq_by_field(entries) -> list[tuple[Field, list[FaqEntry]]]:
    """Entries grouped by field, in the order given."""
    groups: dict[int, tuple[Field, list[FaqEntry]]] = {}
    for entry in entries:
        groups.setdefault(entry.field_id, (entry.field, []))[1].append(entry)
    return list(groups.values())
