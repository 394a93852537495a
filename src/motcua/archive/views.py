"""Back-office pages of the agency archive (BN 16; SPEC §3 item 19): the packages made for
the staff member's own agency, a form to make one and their downloads. The rules are in
:mod:`motcua.archive.packages`; anyone else finds nothing (404)."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from motcua.backoffice.auth import staff_required
from motcua.catalogue.models import Agency

from . import packages
from .forms import PeriodForm
from .models import ArchiveExport


def _agency(request, code: str) -> Agency:
    agency = get_object_or_404(Agency, code=code)
    if not packages.may_archive(request.user, agency):
        raise Http404
    return agency


@staff_required
def index(request):
    """The staff member's own agency's page."""
    agency = request.user.agency
    if agency is None or not packages.may_archive(request.user, agency):
        raise Http404
    return redirect("archive:agency", code=agency.code)


@staff_required
def agency(request, code):
    agency = _agency(request, code)
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = packages.export(
                agency, form.cleaned_data["start"], form.cleaned_data["end"], actor=request.user
            )
        except packages.ArchiveError as error:
            fields = {
                name: problems for name, problems in error.fields.items() if name in form.fields
            }
            for name, problems in fields.items():
                form.add_error(name, problems)
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Package %(identifier)s made with %(count)s dossiers.")
                % {"identifier": record.identifier, "count": record.dossier_count},
            )
            return redirect("archive:agency", code=agency.code)
    exports = ArchiveExport.objects.filter(agency=agency).select_related("created_by")
    return render(
        request, "archive/agency.html", {"agency": agency, "form": form, "exports": exports[:100]}
    )


@staff_required
def download(request, code, pk):
    agency = _agency(request, code)
    record = get_object_or_404(ArchiveExport, agency=agency, pk=pk)
    try:
        package = packages.open_package(record, actor=request.user, request=request)
    except OSError:
        raise Http404 from None
    return FileResponse(
        package, as_attachment=True, filename=record.filename, content_type="application/zip"
    )
