"""Population-database pages of the back office (SPEC §3 item 16; BN 9.3, HG 10): the lookup
page for registered officers, and the usage statistics and log for the provincial police."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from motcua.accounts.models import User

from . import services
from .forms import LookupForm, UsageFilterForm


def staff_only(view):
    """Signed in, a staff member and verified by the second factor (TN 11). Anyone else is
    turned away before any data is read."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff_member:
            raise PermissionDenied
        is_verified = getattr(request.user, "is_verified", None)
        if is_verified is not None and not is_verified():
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('backoffice:two_factor')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped


def _period_form(request) -> UsageFilterForm:
    """The filter, bound to the query with this month so far as the default period."""
    params = request.GET.copy()
    today = timezone.localdate()
    if not params.get("end"):
        params["end"] = today.strftime("%d/%m/%Y")
    if not params.get("start"):
        params["start"] = today.replace(day=1).strftime("%d/%m/%Y")
    return UsageFilterForm(params)


def _period_query(form: UsageFilterForm) -> str:
    """The effective filter as a query string, for links to the log."""
    if not form.is_valid():
        return ""
    data = form.cleaned_data
    params = {"start": data["start"].strftime("%d/%m/%Y"), "end": data["end"].strftime("%d/%m/%Y")}
    if data.get("agency"):
        params["agency"] = data["agency"].pk
    return urlencode(params)


def _require_role(user, roles) -> None:
    if user.role not in roles:
        raise PermissionDenied


@never_cache
@staff_only
def lookup(request):
    """GET: the form. POST: the lookup, logged, and its answer. Registered officers only."""
    if not services.is_registered(request.user):
        raise PermissionDenied
    form = LookupForm(request.POST or None)
    result, status = None, 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.lookup(
                request.user,
                data["personal_id"],
                data["purpose"],
                dossier_code=data["dossier_code"],
                full_name=data["full_name"] or None,
                birth_date=data["birth_date"],
            )
        except services.LookupRefused as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                raise PermissionDenied from error
    if request.method == "POST" and form.errors:
        status = 400
    return render(
        request, "population/lookup.html", {"form": form, "result": result}, status=status
    )


@never_cache
@staff_only
def usage(request):
    """Lookups per agency and per officer over a period (the provincial police; BN 9.3)."""
    _require_role(request.user, services.USAGE_ROLES)
    form = _period_form(request)
    report = None
    if form.is_valid():
        data = form.cleaned_data
        report = services.usage(data["start"], data["end"], data.get("agency"))
    return render(
        request,
        "population/usage.html",
        {
            "form": form,
            "report": report,
            "can_see_log": request.user.role in services.LOG_ROLES,
            "period_query": _period_query(form),
        },
        status=200 if report is not None else 400,
    )


@never_cache
@staff_only
def log(request):
    """The log entries themselves: who looked up which ID number, when and why (police only)."""
    _require_role(request.user, services.LOG_ROLES)
    form = _period_form(request)
    page, officer = None, None
    if form.is_valid():
        data = form.cleaned_data
        officer_id = request.GET.get("officer", "")
        if officer_id.isdigit():
            officer = User.objects.filter(pk=officer_id, kind=User.Kind.STAFF).first()
        qs = services.entries(data["start"], data["end"], data.get("agency"), officer)
        page = Paginator(
            qs.select_related("officer", "agency"), 50, allow_empty_first_page=True
        ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "population/log.html",
        {"form": form, "page": page, "officer": officer, "query": query.urlencode()},
        status=200 if page is not None else 400,
    )
