"""The applicant's own dossiers (SPEC §3 items 4, 6): the list, each dossier's public history,
the answer to a supplement request, withdrawal, the official sheets and the e-result."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.dossiers import services
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Status
from motcua.vault.services import keep_result, result_awaits_payment, result_deliverable

from . import applications
from .apply_forms import ApplicationForm
from .auth import applicant_required

PAGE_SIZE = 20


def _dossier(request, public_id):
    """The applicant's dossier, or 404: another applicant's dossiers do not exist here."""
    return get_object_or_404(applications.dossiers_of(request.user), public_id=public_id)


@applicant_required
def my_dossiers(request):
    dossiers = applications.dossiers_of(request.user).order_by("-created_at", "-id")
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "portal/my_dossiers.html", {"page": page})


def _supplement_form(request, dossier, data=None, files=None):
    return ApplicationForm(
        dossier.procedure,
        request.user,
        dossier=dossier,
        purpose="supplement",
        data=data,
        files=files,
    )


def _detail(request, dossier, *, supplement_form=None, status=200):
    supplement = applications.open_supplement(dossier)
    deliverable = result_deliverable(dossier)
    if deliverable:
        keep_result(dossier)
    if supplement and supplement_form is None:
        supplement_form = _supplement_form(request, dossier)
    return render(
        request,
        "portal/my_dossier.html",
        {
            "dossier": dossier,
            "history": applications.public_history(dossier),
            "sheets": applications.sheets_for(dossier),
            "supplement": supplement,
            "supplement_form": supplement_form,
            "result_deliverable": deliverable,
            "result_waits_for_fee": result_awaits_payment(dossier),
            "fee_outstanding": applications.fee_outstanding(dossier),
            "can_withdraw": applications.can_withdraw(dossier),
            "can_rate": applications.can_rate(dossier),
            "is_draft": dossier.status == Status.DRAFT and dossier.submitter_id == request.user.pk,
        },
        status=status,
    )


@applicant_required
def dossier(request, public_id):
    return _detail(request, _dossier(request, public_id))


@require_POST
@applicant_required
def supplement(request, public_id):
    """The answer to a supplement request: the documents and corrections asked for."""
    dossier = _dossier(request, public_id)
    if applications.open_supplement(dossier) is None:
        raise Http404
    form = _supplement_form(request, dossier, request.POST, request.FILES)
    if form.is_valid():
        application = form.application()
        try:
            applications.answer_supplement(
                dossier, request.user, application, form_data=application.form_data
            )
        except DossierError as error:
            form.show(error)
        else:
            messages.success(request, _("Your supplement has been sent. Processing resumes."))
            return redirect("portal:dossier", public_id=dossier.public_id)
    return _detail(request, dossier, supplement_form=form, status=400)


@applicant_required
def withdraw(request, public_id):
    """GET: ask for confirmation. POST: withdraw the dossier."""
    dossier = _dossier(request, public_id)
    if not applications.can_withdraw(dossier):
        raise Http404
    error = None
    if request.method == "POST":
        try:
            services.withdraw(dossier, request.user, reason=request.POST.get("reason", "")[:1000])
        except DossierError as refused:
            error = refused.message
        else:
            messages.success(request, _("Your dossier has been withdrawn."))
            return redirect("portal:dossier", public_id=dossier.public_id)
    return render(
        request,
        "portal/my_withdraw.html",
        {"dossier": dossier, "error": error},
        status=409 if error else 200,
    )


@applicant_required
def sheet(request, public_id, kind, number=None):
    """An official sheet of the dossier as PDF (Circular 01/2018/TT-VPCP)."""
    dossier = _dossier(request, public_id)
    try:
        content = applications.sheet_pdf(dossier, kind, number, request.build_absolute_uri("/"))
    except LookupError:
        raise Http404 from None
    name = f"{dossier.code}-{kind}{f'-{number}' if number else ''}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@applicant_required
def result(request, public_id):
    """The e-result, once deliverable: settled and, where required, paid (VP 16.1)."""
    dossier = _dossier(request, public_id)
    if not result_deliverable(dossier):
        raise Http404
    record = dossier.result
    return FileResponse(record.file.open("rb"), as_attachment=True, filename=record.original_name)
