"""``/readyz`` and the system operators' pages: maintenance notices (BN 10.3) and the
incident log book (TN 14.1.d)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.accounts.models import Role
from motcua.backoffice.auth import staff_required
from motcua.dossiers.errors import RuleViolation
from motcua.profiles import active_profile

from . import incidents as log_book
from . import maintenance as notices
from . import readiness as checks
from .forms import CorrectionForm, IncidentForm, NoticeForm
from .models import Incident, MaintenanceNotice


@never_cache
@require_GET
def readiness(request):
    """200 when the instance can serve, 503 when not; what each check found."""
    ready, results = checks.report()
    return JsonResponse(
        {"status": "ready" if ready else "not_ready", "checks": results},
        status=200 if ready else 503,
    )


def operator_required(view):
    """Staff signed in with both factors and holding the system operator's role."""

    @staff_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.role != Role.SYSTEM_OPERATOR:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _refused(form, error: RuleViolation) -> None:
    for field, errors in error.fields.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)
    form.add_error(None, error.message)


@never_cache
@operator_required
def maintenance(request):
    """GET: the notices and the form. POST: announce a notice, or cancel one."""
    if request.method == "POST" and "cancel" in request.POST:
        return _cancel(request)
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notices.announce(
                data["starts_at"], data["ends_at"], data["description"], by=request.user
            )
        except RuleViolation as error:
            _refused(form, error)
        else:
            messages.success(request, _("The maintenance was announced on the Portal."))
            return redirect("operations:maintenance")
    upcoming = notices.current().select_related("announced_by")
    past = (
        MaintenanceNotice.objects.exclude(pk__in=upcoming.values("pk"))
        .select_related("announced_by", "cancelled_by")
        .order_by("-starts_at")[:20]
    )
    return render(
        request,
        "operations/maintenance.html",
        {
            "form": form,
            "upcoming": upcoming,
            "past": past,
            "notice": active_profile().maintenance.notice,
            "earliest": notices.earliest_start(),
        },
        status=400 if form.errors else 200,
    )


def _cancel(request):
    notice_id = request.POST["cancel"]
    if not notice_id.isdigit():
        raise Http404
    get_object_or_404(MaintenanceNotice, pk=notice_id)
    try:
        notices.cancel(int(notice_id), by=request.user)
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The notice was cancelled."))
    return redirect("operations:maintenance")


@never_cache
@operator_required
def incidents(request):
    """GET: the log book and the form. POST: record an incident."""
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = log_book.record(log_book.Facts(**form.cleaned_data), by=request.user)
        except RuleViolation as error:
            _refused(form, error)
        else:
            messages.success(request, _("The incident was recorded."))
            return redirect("operations:incident", incident.pk)
    return render(
        request,
        "operations/incidents.html",
        {"form": form, "incidents": log_book.log_book()},
        status=400 if form.errors else 200,
    )


@never_cache
@operator_required
def incident(request, pk):
    """GET: every entry of an incident and the correction form. POST: add a correction."""
    record = get_object_or_404(Incident.objects.select_related("opened_by"), pk=pk)
    entries = list(record.entries.select_related("recorded_by"))
    current = entries[-1]
    initial = {
        "started_at": timezone.localtime(current.started_at),
        "ended_at": current.ended_at and timezone.localtime(current.ended_at),
        "impact": current.impact,
        "cause": current.cause,
        "action_taken": current.action_taken,
    }
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            log_book.correct(record.pk, log_book.Facts(**data), reason=reason, by=request.user)
        except RuleViolation as error:
            _refused(form, error)
        else:
            messages.success(request, _("The correction was added to the log book."))
            return redirect("operations:incident", record.pk)
    return render(
        request,
        "operations/incident.html",
        {"incident": record, "entries": entries, "current": current, "form": form},
        status=400 if form.errors else 200,
    )
