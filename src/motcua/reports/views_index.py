"""Staff pages of the Decision 766 service index: the dashboard (monthly trends, lateness by
agency, the index of a month), the index of an agency or of the province with the ranking,
and the dossiers behind each number (SPEC §3 item 18). Province monitors see every agency;
an agency leader sees their own agency and its sub-tree (SPEC §2 "Access")."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import Role
from motcua.backoffice.auth import staff_required
from motcua.catalogue.models import Agency
from motcua.population.services import subtree_ids

from . import charts, index766, statistics
from .models import Tally
from .periods import Period, add_months, parse_month

TREND_MONTHS = 12
MONTH_CHOICES = 24
PAGE_SIZE = 50
LATE_BARS = 15


# -- who sees what -------------------------------------------------------------------------
def _viewer(user) -> Agency | None:
    """The agency whose sub-tree the user may see; None: the whole province."""
    if user.role == Role.PROVINCE_MONITOR:
        return None
    if user.role == Role.AGENCY_LEADER and user.agency_id:
        return user.agency
    raise PermissionDenied


def _scope_agency(request) -> Agency | None:
    """The agency asked for (``?agency=``), checked against what the user may see."""
    allowed = _viewer(request.user)
    asked = request.GET.get("agency", "")
    if not asked:
        return allowed
    if not asked.isdigit():
        raise Http404
    agency = get_object_or_404(Agency, pk=int(asked))
    _check_agency(request.user, allowed, agency)
    return agency


def _check_agency(user, allowed: Agency | None, agency: Agency | None) -> None:
    if allowed is None:
        return
    if agency is None or agency.pk not in subtree_ids(allowed):
        raise PermissionDenied


# -- which month ---------------------------------------------------------------------------
def _period(request) -> tuple[Period, str]:
    """The reporting month asked for (``?month=YYYY-MM``), else the current one; a wrong
    value falls back to the current month with a message."""
    current = Period.current("month")
    text = request.GET.get("month", "")
    if not text:
        return current, ""
    try:
        first = parse_month(text)
    except ValueError:
        return current, _("The month must be written as YYYY-MM; showing the current month.")
    return Period.of("month", first, current.closes_on_day), ""


def _months(current: Period) -> list[str]:
    return [f"{add_months(current.first, -n):%Y-%m}" for n in range(MONTH_CHOICES)]


def _query(period: Period, agency: Agency | None) -> str:
    params = {"month": f"{period.first:%Y-%m}"}
    if agency is not None:
        params["agency"] = agency.pk
    return urlencode(params)


def _context(request, period, error, agency, **extra) -> dict:
    return {
        "period": period,
        "month": f"{period.first:%Y-%m}",
        "months": _months(Period.current("month")),
        "month_error": error,
        "agency": agency,
        "query": _query(period, agency),
        "is_monitor": request.user.role == Role.PROVINCE_MONITOR,
        **extra,
    }


# -- charts --------------------------------------------------------------------------------
def _trends(period: Period, agency: Agency | None) -> dict:
    """Received, settled in time and settled late in each of the last reporting months,
    from the tallies (one grouped query)."""
    months = [add_months(period.first, -n) for n in reversed(range(TREND_MONTHS))]
    tallies = Tally.objects.filter(month__gte=months[0], month__lte=months[-1])
    if agency is not None:
        tallies = tallies.filter(agency_id__in=subtree_ids(agency))
    names = (
        "received_online", "received_desk", "received_postal", "received_national",
        "settled_early", "settled_on_time", "settled_late",
    )  # fmt: skip
    sums = {
        row["month"]: row
        for row in tallies.values("month").annotate(**{n: Sum(n) for n in names}).order_by()
    }

    def total(month, *fields):
        row = sums.get(month, {})
        return sum(row.get(f) or 0 for f in fields)

    labels = [f"{m:%m/%Y}" for m in months]
    received = [total(m, *names[:4]) for m in months]
    in_time = [total(m, "settled_early", "settled_on_time") for m in months]
    late = [total(m, "settled_late") for m in months]
    return {
        "received_chart": charts.line_chart(
            _("Dossiers received per month"),
            _("Dossiers received in each of the last %(n)d reporting months, all channels.")
            % {"n": TREND_MONTHS},
            labels,
            [charts.Series(_("Dossiers received"), received)],
        ),
        "settled_chart": charts.column_chart(
            _("Dossiers settled per month"),
            _(
                "Dossiers settled early or on time and settled late in each of the last %(n)d "
                "reporting months."
            )
            % {"n": TREND_MONTHS},
            labels,
            [charts.Series(_("On time"), in_time), charts.Series(_("Late"), late)],
        ),
        "trend_rows": list(zip(labels, received, in_time, late, strict=True)),
    }


def _lateness(period: Period, agency: Agency | None) -> dict:
    """Dossiers settled late in the period by agency, most first."""
    report = statistics.report(period, agency=agency, grouping="agency")
    rows = sorted(
        (row for row in report.rows if row.settled),
        key=lambda row: (-row.settled_late, row.label),
    )
    chart = charts.bar_chart(
        _("Dossiers settled late by agency"),
        _("Number of dossiers settled late in %(period)s, by agency, most first.")
        % {"period": period},
        [(row.label, row.settled_late, None) for row in rows[:LATE_BARS]],
    )
    lines = [
        {
            "agency_id": row.key,
            "label": row.label,
            "late": row.settled_late,
            "settled": row.settled,
            "rate": statistics.ratio(row.settled_late, row.settled),
        }
        for row in rows
    ]
    return {"late_chart": chart, "late_rows": lines}


def _index_chart(index: index766.Index):
    return charts.bar_chart(
        _("Service index by group"),
        _("Points of each group of the index against the group's maximum."),
        [(str(g.group.name), g.points, g.group.max_points) for g in index.groups],
    )


# -- pages ---------------------------------------------------------------------------------
@staff_required
def dashboard(request):
    agency = _scope_agency(request)
    period, error = _period(request)
    index = index766.compute(period, agency)
    context = _context(
        request, period, error, agency,
        index=index, index_chart=_index_chart(index),
        **_trends(period, agency), **_lateness(period, agency),
    )  # fmt: skip
    return render(request, "reports/index/dashboard.html", context)


@staff_required
def province(request):
    if _viewer(request.user) is not None:
        raise PermissionDenied
    period, error = _period(request)
    index = index766.compute(period)
    context = _context(
        request, period, error, None,
        index=index, index_chart=_index_chart(index),
        ranking=index766.ranking(period),
    )  # fmt: skip
    return render(request, "reports/index/index.html", context)


@staff_required
def agency(request, agency_id: int):
    allowed = _viewer(request.user)
    chosen = get_object_or_404(Agency, pk=agency_id)
    _check_agency(request.user, allowed, chosen)
    period, error = _period(request)
    index = index766.compute(period, chosen)
    context = _context(request, period, error, chosen, index=index, index_chart=_index_chart(index))
    return render(request, "reports/index/index.html", context)


PART_LABELS = {
    "numerator": gettext_lazy("Counted in the numerator"),
    "denominator": gettext_lazy("Counted in the denominator"),
    "shortfall": gettext_lazy("In the denominator but not in the numerator"),
}


@staff_required
def dossiers(request, code: str, part: str):
    agency = _scope_agency(request)
    period, error = _period(request)
    try:
        found, complete = index766.dossiers(code, part, period, agency)
    except KeyError:
        raise Http404 from None
    found = found.select_related("procedure", "agency").order_by("received_at", "pk")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = _context(
        request, period, error, agency,
        indicator=index766.INDICATORS_BY_CODE[code], part=part,
        part_label=PART_LABELS[part], page=page, complete=complete,
    )  # fmt: skip
    return render(request, "reports/index/dossiers.html", context)
