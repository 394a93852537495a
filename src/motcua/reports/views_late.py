"""The monthly late lists: the back office's page for the province's monitor and the
leaders of agencies and units, the monitor's publication, and the Portal's public pages
(BN 24.3). Rules live in :mod:`motcua.reports.late_lists`."""

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from motcua.backoffice.auth import staff_required

from . import late_lists
from .periods import Period, add_months, parse_month


class MonthForm(forms.Form):
    thang = forms.RegexField(
        label=_("Reporting month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        error_messages={"invalid": _("Enter a month as YYYY-MM.")},
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    def clean_thang(self) -> date:
        try:
            return parse_month(self.cleaned_data["thang"])
        except ValueError:
            raise forms.ValidationError(self.fields["thang"].error_messages["invalid"]) from None

    @property
    def month(self) -> date:
        return self.cleaned_data["thang"]


def _last_closed_month() -> date:
    return add_months(Period.current("month").first, -1)


def _scope(user):
    try:
        return late_lists.scope_of(user)
    except late_lists.NotAllowed:
        raise PermissionDenied from None


def _page(request, form, month, scope, *, status=200):
    period = Period.of("month", month)
    data = late_lists.snapshot(late_lists.late_list(period, agencies=scope))
    can_publish = request.user.role in late_lists.PUBLISHER_ROLES
    return render(
        request,
        "reports/late/list.html",
        {
            "form": form,
            "month": month,
            "data": late_lists.for_display(data),
            "can_publish": can_publish and not period.is_open(),
            "published": late_lists.current_version(month) if can_publish else None,
        },
        status=status,
    )


def _month_or_default(request):
    """(form, month) of the query, defaulting to the last closed month; month is None
    when the query is invalid."""
    if "thang" not in request.GET:
        month = _last_closed_month()
        return MonthForm(initial={"thang": f"{month:%Y-%m}"}), month
    form = MonthForm(request.GET)
    return form, form.month if form.is_valid() else None


@never_cache
@staff_required
@require_GET
def month_list(request):
    """The late dossiers, units and officers of a month in the user's scope."""
    scope = _scope(request.user)
    form, month = _month_or_default(request)
    if month is None:
        return render(request, "reports/late/list.html", {"form": form}, status=400)
    return _page(request, form, month, scope)


def _csv(data: dict, month: date) -> HttpResponse:
    response = HttpResponse(late_lists.to_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="danh-sach-cham-muon-{month:%Y-%m}.csv"'
    )
    return response


@never_cache
@staff_required
@require_GET
def month_csv(request):
    scope = _scope(request.user)
    form, month = _month_or_default(request)
    if month is None:
        return render(request, "reports/late/list.html", {"form": form}, status=400)
    period = Period.of("month", month)
    return _csv(late_lists.snapshot(late_lists.late_list(period, agencies=scope)), month)


@never_cache
@staff_required
@require_POST
def publish(request):
    """The monitor publishes the month's list on the Portal (BN 24.3)."""
    scope = _scope(request.user)
    form = MonthForm(request.POST)
    if not form.is_valid():
        return render(request, "reports/late/list.html", {"form": form}, status=400)
    try:
        report = late_lists.publish(form.month, request.user, request=request)
    except late_lists.NotAllowed:
        raise PermissionDenied from None
    except late_lists.LateListError as error:
        messages.error(request, error.message)
        return _page(request, form, form.month, scope, status=400)
    messages.success(
        request,
        _("The list of %(month)s is published on the Portal.")
        % {"month": f"{report.first_month:%m/%Y}"},
    )
    return redirect(f"{reverse('reports_late:list')}?thang={form.month:%Y-%m}")


# -- the Portal -------------------------------------------------------------------------
@require_GET
def public_index(request):
    """The months whose late lists are published."""
    return render(
        request,
        "reports/late/public_index.html",
        {"versions": late_lists.published_months()},
    )


def _published(month: date):
    report = late_lists.current_version(month)
    if report is None:
        raise Http404
    return report, late_lists.read(report)


@require_GET
def public_month(request, month: date):
    """A month's published list as issued: no applicant is named (BN 24.3)."""
    report, data = _published(month)
    return render(
        request,
        "reports/late/public_month.html",
        {"report": report, "data": late_lists.for_display(data)},
    )


@require_GET
def public_month_csv(request, month: date):
    report, data = _published(month)
    return _csv(data, report.first_month)
