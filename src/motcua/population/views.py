"""Population-database pages of the back office (SPEC §3 item 16; BN 9.3, HG 10): the lookup
page for registered officers, and the usage statistics and log for the provincial police."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.accounts.models import User
from motcua.backoffice.auth import staff_required

from . import services
from .forms import LookupForm, RegistrationForm, UsageFilterForm
from .models import RegisteredOfficer


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
@staff_required
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
@staff_required
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
@staff_required
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


@never_cache
@staff_required
def registrations(request):
    """The provincial police register officers to look citizens up, and revoke them
    (BN 9.3; HG 10: one account per officer, none shared)."""
    _require_role(request.user, services.REGISTRAR_ROLES)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        revoke = request.POST.get("revoke")
        try:
            if revoke:
                services.revoke_officer(User.objects.get(pk=revoke), by=request.user)
                messages.success(request, _("Registration revoked."))
                return redirect("population:registrations")
            if form.is_valid():
                officer = User.objects.filter(username=form.cleaned_data["username"]).first()
                if officer is None:
                    form.add_error("username", _("No account has this username."))
                else:
                    services.register_officer(
                        officer,
                        by=request.user,
                        decision_number=form.cleaned_data["decision_number"],
                    )
                    messages.success(request, _("Officer registered."))
                    return redirect("population:registrations")
        except (services.RegistrationRefused, User.DoesNotExist) as error:
            form.add_error(
                getattr(error, "field", None)
                if getattr(error, "field", None) in form.fields
                else None,
                str(error),
            )
    entries = RegisteredOfficer.objects.select_related("user__agency").order_by(
        "-active", "user__username"
    )
    return render(request, "population/registrations.html", {"form": form, "entries": entries})
