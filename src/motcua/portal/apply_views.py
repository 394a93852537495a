"""Online submission pages (SPEC §3 item 3): the application form with drafts, and the
receipt shown after submitting."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from motcua.catalogue.models import Procedure
from motcua.documents.qr import lookup_url, qr_png
from motcua.dossiers.errors import DossierError

from . import applications
from .apply_forms import ApplicationForm
from .auth import applicant_required


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@applicant_required
def apply(request, pk, public_id=None):
    """GET: the form (a draft taken up again with ``public_id``). POST ``action=draft``
    saves it as it is; any other POST submits it."""
    procedure = get_object_or_404(Procedure, pk=pk, is_active=True)
    draft = None
    if public_id is not None:
        draft = get_object_or_404(
            applications.drafts_of(request.user), public_id=public_id, procedure=procedure
        )
    try:
        applications.check_online(procedure)
    except DossierError as error:
        return render(
            request,
            "portal/apply_unavailable.html",
            {"procedure": procedure, "message": error.message},
            status=409,
        )
    saving_draft = request.POST.get("action") == "draft"
    form = ApplicationForm(
        procedure,
        request.user,
        dossier=draft,
        purpose="draft" if draft else "new",
        lenient=saving_draft,
        data=request.POST or None,
        files=request.FILES or None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            dossier = applications.save_application(
                procedure, request.user, form.application(), draft=draft, submit=not saving_draft
            )
        except DossierError as error:
            form.show(error)
        else:
            if saving_draft:
                messages.success(request, _("Your draft is saved. You can come back to it later."))
                return redirect("portal:apply_draft", pk=procedure.pk, public_id=dossier.public_id)
            return redirect("portal:receipt", public_id=dossier.public_id)
    return render(
        request,
        "portal/apply.html",
        {"procedure": procedure, "form": form, "draft": draft},
        status=400 if form.errors else 200,
    )


def _submitted(request, public_id):
    return get_object_or_404(
        applications.dossiers_of(request.user).exclude(status="draft"), public_id=public_id
    )


@applicant_required
def receipt(request, public_id):
    """What the applicant keeps after submitting: code, reception deadline, appointment
    once received, fees, and the QR of the public lookup page (BN 14.6, HG 8)."""
    dossier = _submitted(request, public_id)
    return render(
        request,
        "portal/apply_receipt.html",
        {
            "dossier": dossier,
            "fees": dossier.procedure.fees.all(),
            "fee_outstanding": applications.fee_outstanding(dossier),
            "public_url": lookup_url(dossier, _base_url(request)),
        },
    )


@applicant_required
def qr(request, public_id):
    """The QR of the dossier's public lookup page, as printed on its sheets."""
    dossier = _submitted(request, public_id)
    return HttpResponse(qr_png(lookup_url(dossier, _base_url(request))), content_type="image/png")
