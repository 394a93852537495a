"""Pages of ratings, feedback (PAKN) and the FAQ: the citizen's side on the Portal, the
answering and the FAQ upkeep in the back office (SPEC §3 items 7 and 8)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.backoffice.auth import staff_required
from motcua.catalogue.models import Agency
from motcua.dossiers.models import Dossier
from motcua.portal.auth import applicant_required

from . import services
from .criteria import CRITERIA, LEVEL_LABELS, MAX_POINTS
from .forms import AnswerForm, FaqForm, FaqSearchForm, FeedbackForm, LookupForm, RatingForm
from .models import FaqEntry, Feedback, Rating

PAGE_SIZE = 20


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Ratings ------------------------------------------------------------------------------


@never_cache
@applicant_required
def rate(request, public_id):
    """Rate one's own finished dossier, once (BN 8.4)."""
    try:
        dossier = services.rateable_dossier(request.user, public_id)
    except Dossier.DoesNotExist:
        raise Http404 from None
    rating = Rating.objects.filter(dossier=dossier).prefetch_related("scores").first()
    finished = dossier.status in services.RATEABLE_STATES
    form = RatingForm(request.POST or None) if finished and rating is None else None
    status = 200
    if request.method == "POST":
        if form is None:
            status = 409
        elif form.is_valid():
            try:
                services.rate(
                    dossier,
                    request.user,
                    satisfaction=form.cleaned_data["satisfaction"],
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
            except services.FeedbackError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Thank you: your rating has been recorded."))
                return redirect("feedback:rate", public_id=dossier.public_id)
        if form is not None and form.errors:
            status = 400
    scores = []
    if rating is not None:
        given = {score.criterion: score.points for score in rating.scores.all()}
        scores = [(c.label, LEVEL_LABELS.get(given.get(c.code))) for c in CRITERIA]
    return render(
        request,
        "feedback/rate.html",
        {
            "dossier": dossier,
            "form": form,
            "rating": rating,
            "scores": scores,
            "finished": finished,
        },
        status=status,
    )


def ratings(request):
    """Public summary: each agency's number of ratings and satisfaction, no personal data."""
    return render(
        request,
        "feedback/ratings.html",
        {"rows": services.ratings_by_agency(), "max_points": MAX_POINTS},
    )


def agency_ratings(request, pk):
    agency = get_object_or_404(Agency, pk=pk)
    summary, criteria, distribution = services.agency_ratings(agency)
    return render(
        request,
        "feedback/agency_ratings.html",
        {
            "summary": summary,
            "criteria": criteria,
            "distribution": distribution,
            "max_points": MAX_POINTS,
        },
    )


# --- Feedback -----------------------------------------------------------------------------


def feedback_new(request):
    """Send a feedback, signed in or not; the tracking code is shown at once (BN 17.1)."""
    signed_in = request.user.is_authenticated
    form = FeedbackForm(request.POST or None, signed_in=signed_in)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                feedback = services.submit_feedback(user=request.user, **data)
            except services.FeedbackError as error:
                form.add_service_error(error)
            else:
                return render(request, "feedback/feedback_sent.html", {"feedback": feedback})
        status = 400
    return render(request, "feedback/feedback_new.html", {"form": form}, status=status)


def feedback_lookup(request):
    """Status and answer of a feedback by its tracking code; no personal data."""
    form = LookupForm(request.GET or None)
    feedback, status = None, 200
    if form.is_bound and form.is_valid():
        feedback = services.find_feedback(form.cleaned_data["code"])
        if feedback is None:
            status = 404
    return render(
        request,
        "feedback/feedback_lookup.html",
        {"form": form, "feedback": feedback, "searched": form.is_bound},
        status=status,
    )


def feedback_list(request):
    """Answered feedback published with the submitter's agreement (BN 6.4)."""
    return render(
        request,
        "feedback/feedback_list.html",
        {"page": _page(request, services.published_feedback())},
    )


@never_cache
@staff_required
def staff_feedback(request):
    """Open feedback of the officer's agency, nearest deadline first, overdue marked."""
    return render(
        request,
        "feedback/staff_feedback.html",
        {"page": _page(request, services.open_feedback(request.user)), "now": timezone.now()},
    )


@never_cache
@staff_required
def staff_feedback_answer(request, code):
    feedback = get_object_or_404(
        Feedback.objects.filter(services.feedback_scope(request.user)).select_related(
            "agency", "procedure", "answered_by"
        ),
        tracking_code=code,
    )
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.answer_feedback(feedback, request.user, form.cleaned_data["answer"])
            except services.Forbidden as error:
                raise PermissionDenied from error
            except services.FeedbackError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Answer sent."))
                return redirect("feedback:staff_feedback")
        status = 400
    return render(
        request,
        "feedback/staff_feedback_answer.html",
        {"feedback": feedback, "form": form, "now": timezone.now()},
        status=status,
    )


# --- FAQ ----------------------------------------------------------------------------------


def faq(request):
    """Published questions and answers grouped by field, searchable (HG 14.4, TN 5.7)."""
    form = FaqSearchForm(request.GET or None)
    query, field = "", None
    if form.is_bound and form.is_valid():
        query, field = form.cleaned_data["q"], form.cleaned_data["field"]
    groups = services.faq_by_field(services.published_faq(query, field))
    return render(request, "feedback/faq.html", {"form": form, "groups": groups, "query": query})


def _require_faq_editor(user) -> None:
    if not services.can_edit_faq(user):
        raise PermissionDenied


@never_cache
@staff_required
def staff_faq(request):
    """All entries, unpublished ones included, and a form for a new one."""
    _require_faq_editor(request.user)
    form = FaqForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.create_faq(request.user, **form.cleaned_data)
            except services.FeedbackError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Question added."))
                return redirect("feedback:staff_faq")
        status = 400
    entries = FaqEntry.objects.select_related("field", "updated_by").order_by("field__name", "id")
    return render(
        request,
        "feedback/staff_faq.html",
        {"form": form, "page": _page(request, entries)},
        status=status,
    )


@never_cache
@staff_required
def staff_faq_edit(request, pk):
    _require_faq_editor(request.user)
    entry = get_object_or_404(FaqEntry.objects.select_related("field"), pk=pk)
    initial = {"field": entry.field, "question": entry.question, "answer": entry.answer}
    form = FaqForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if "publish" in request.POST:
            published = request.POST["publish"] == "1"
            services.set_faq_published(request.user, entry, published)
            messages.success(
                request, _("Question published.") if published else _("Question unpublished.")
            )
            return redirect("feedback:staff_faq_edit", pk=entry.pk)
        if form.is_valid():
            try:
                services.edit_faq(request.user, entry, **form.cleaned_data)
            except services.FeedbackError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Question updated."))
                return redirect("feedback:staff_faq_edit", pk=entry.pk)
        status = 400
    changes = entry.changes.select_related("by").order_by("-id")
    return render(
        request,
        "feedback/staff_faq_edit.html",
        {"entry": entry, "form": form, "changes": changes},
        status=status,
    )
