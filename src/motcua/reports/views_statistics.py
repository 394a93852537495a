"""The statistics page of the back office, its XLSX and CSV files, and the stored reports
(SPEC §3 item 18): the province monitor reads any agency or the whole province, a leader
their own agency and the units below it; everyone else is turned away."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.backoffice.auth import staff_required

from . import exports, grades, readers, statistics
from .periods import Period

PERIOD_KINDS = {
    "month": gettext_lazy("Month"),
    "quarter": gettext_lazy("Quarter"),
    "half_year": gettext_lazy("Half-year"),
    "year": gettext_lazy("Year"),
}
GROUPING_NAMES = {
    "field": gettext_lazy("By field"),
    "procedure": gettext_lazy("By procedure"),
    "agency": gettext_lazy("By agency"),
}


class StatisticsForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Period"), choices=list(PERIOD_KINDS.items()))
    month = forms.DateField(
        label=gettext_lazy("Reporting month (the period holding it)"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": gettext_lazy("Enter a month as YYYY-MM.")},
    )
    agency = forms.ModelChoiceField(label=gettext_lazy("Agency"), queryset=None, required=False)
    grouping = forms.ChoiceField(label=gettext_lazy("Rows"), choices=list(GROUPING_NAMES.items()))

    def __init__(self, user, query):
        own = readers.default_agency(user)
        data = {
            "kind": "month",
            "month": f"{Period.current('month').first:%Y-%m}",
            "agency": own.pk if own is not None else "",
            "grouping": "field",
        }
        data.update({name: query[name] for name in data if name in query})
        super().__init__(data)
        self.fields["agency"].queryset = readers.readable_agencies(user).order_by("name")
        if readers.reads_province(user):
            self.fields["agency"].empty_label = _("Whole province")
        else:
            self.fields["agency"].required = True
            self.fields["agency"].empty_label = None

    def clean_month(self):
        month = self.cleaned_data["month"]
        if not 2000 <= month.year <= 2100:
            raise forms.ValidationError(_("Choose a month between 2000 and 2100."))
        return month

    def choice(self):
        """``(kind, period, agency, grouping)`` chosen (call after :meth:`is_valid`)."""
        values = self.cleaned_data
        kind = values["kind"]
        return kind, Period.of(kind, values["month"]), values["agency"], values["grouping"]


def _reader(request):
    if not readers.may_read(request.user):
        raise PermissionDenied
    return request.user


def _form(request):
    return StatisticsForm(_reader(request), request.GET)


@staff_required
def statistics_page(request):
    form = _form(request)
    if not form.is_valid():
        return render(request, "reports/statistics/index.html", {"form": form}, status=400)
    kind, period, agency, grouping = form.choice()
    report = statistics.report(period, agency=agency, grouping=grouping)
    assessment, ratings = grades.evaluate(report, agency)
    headers = exports.header_rows()
    context = {
        "form": form,
        "kind": kind,
        "period": period,
        "period_label": exports.period_label(kind, period),
        "scope": exports.scope_name(agency),
        "report": report,
        "headers": headers,
        "header_depth": len(headers),
        "lines": [
            (line, list(zip(exports.leaves(), line.values, strict=True)))
            for line in exports.lines(report)
        ],
        "grouped_by": exports.GROUPED_BY[grouping],
        "form_name": exports.FORM_NAME,
        "form_title": exports.FORM_TITLE,
        "assessment": assessment,
        "max_total": grades.MAX_TOTAL,
        "min_assessed": grades.MIN_ASSESSED,
        "ratings": ratings,
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/statistics/index.html", context)


@staff_required
def statistics_file(request, fmt):
    form = _form(request)
    if fmt not in ("xlsx", "csv"):
        return HttpResponse(_("Choose XLSX or CSV."), status=404, content_type="text/plain")
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    kind, period, agency, grouping = form.choice()
    report = statistics.report(period, agency=agency, grouping=grouping)
    make, content_type = {
        "xlsx": (exports.to_xlsx, exports.XLSX_TYPE),
        "csv": (exports.to_csv, exports.CSV_TYPE),
    }[fmt]
    response = HttpResponse(make(report, kind=kind, agency=agency), content_type=content_type)
    name = exports.file_name(kind, period, agency, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required
def stored_list(request):
    reports = readers.stored_reports(_reader(request))
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/statistics/stored.html",
        {"page": page},
    )


@staff_required
def stored_file(request, pk):
    """A stored report's file, through the reader's permission (never a public media URL)."""
    stored = get_object_or_404(readers.stored_reports(_reader(request)), pk=pk)
    name = stored.file.name.rsplit("/", 1)[-1]
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=name)
