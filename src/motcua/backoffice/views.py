"""Back-office pages (SPEC §3 items 10–15). Every page checks the staff member and the
dossier's visibility; every change goes through the engine's services."""

import base64

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import Role
from motcua.audit import services as audit
from motcua.documents import sheets
from motcua.dossiers import services
from motcua.dossiers.access import visible_dossiers
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import FINAL_STATES, DossierFile, DossierResult
from motcua.dossiers.results import RESULT_ROLES, attach_result

from . import queues
from .actions import STAFF_ACTIONS, offered
from .auth import staff_required
from .forms import PaymentForm, ResultForm, TokenForm


class LoginView(auth_views.LoginView):
    """First factor; the second follows, then the page asked for (``next``)."""

    template_name = "backoffice/login.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        target = self.get_redirect_url() or reverse("backoffice:dashboard")
        return f"{reverse('backoffice:two_factor')}?{urlencode({'next': target})}"


def _safe_next(request) -> str:
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("backoffice:dashboard")


def logout(request):
    from django.contrib.auth import logout as auth_logout

    if request.method == "POST":
        auth_logout(request)
    return redirect("backoffice:login")


def two_factor(request):
    """Verify the TOTP code, enrolling the authenticator app on the first sign-in."""
    if not request.user.is_authenticated:
        return redirect("backoffice:login")
    if not request.user.is_staff_member:
        raise Http404
    if request.user.is_verified():
        return redirect(_safe_next(request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device, _created = TOTPDevice.objects.get_or_create(
            user=request.user, confirmed=False, defaults={"name": "Ứng dụng xác thực"}
        )
    form = TokenForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if enrolling:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        otp_login(request, device)
        audit.record(request.user, "auth.second_factor", request.user, request=request)
        return redirect(_safe_next(request))
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "backoffice/two_factor.html", context)


@staff_required
def dashboard(request):
    counts = queues.counts(request.user)
    return render(
        request,
        "backoffice/dashboard.html",
        {"queues": [(q, counts[q.key]) for q in queues.QUEUES]},
    )


@staff_required
def queue(request, key):
    if key not in queues.QUEUE_KEYS:
        raise Http404
    dossiers = queues.search(queues.queue(request.user, key), request.GET.get("q", ""))
    page = Paginator(dossiers, 25).get_page(request.GET.get("page"))
    current = next(q for q in queues.QUEUES if q.key == key)
    return render(
        request,
        "backoffice/queue.html",
        {"queue": current, "queues": queues.QUEUES, "page": page, "q": request.GET.get("q", "")},
    )


def _dossier(request, public_id):
    return get_object_or_404(
        visible_dossiers(request.user).select_related(
            "procedure", "agency", "applicant", "current_step"
        ),
        public_id=public_id,
    )


@staff_required
def dossier(request, public_id):
    item = _dossier(request, public_id)
    audit.record(request.user, "dossier.view", item, request=request)
    actions = [
        (name, action, action.form() if action.form else None)
        for name, action in offered(item, request.user)
    ]
    return render(
        request,
        "backoffice/dossier.html",
        {
            "dossier": item,
            "actions": actions,
            "steps": item.steps.select_related("agency", "assignee", "process_step"),
            "events": item.events.select_related("actor").order_by("id"),
            "result": getattr(item, "result", None),
            "result_form": ResultForm() if _may_attach_result(request.user, item) else None,
            "payment_form": PaymentForm() if _may_record_payment(request.user, item) else None,
        },
    )


def _may_record_payment(user, item) -> bool:
    return (
        user.role == Role.RECEPTION_OFFICER
        and item.fee_paid_at is None
        and item.status not in ("draft", *FINAL_STATES)
        and item.fee_due > 0
    )


def _may_attach_result(user, item) -> bool:
    """The services decide; the page only hides a form nobody here could use."""
    return item.status in ("processing", "result_ready") and user.role in RESULT_ROLES


@staff_required
@require_POST
def upload_result(request, public_id):
    item = _dossier(request, public_id)
    form = ResultForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the result file."))
        return redirect("backoffice:dossier", public_id=public_id)
    upload = form.cleaned_data["file"]
    try:
        result = attach_result(
            item, upload.name, upload.read(), by=request.user, sign=form.cleaned_data["sign"]
        )
    except DossierError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, result.signature_summary)
    return redirect("backoffice:dossier", public_id=public_id)


@staff_required
@require_POST
def record_payment(request, public_id):
    """The fee paid at the desk, against the desk's receipt (BN 14.4, VP 15.1)."""
    item = _dossier(request, public_id)
    form = PaymentForm(request.POST)
    if request.user.role != Role.RECEPTION_OFFICER or not form.is_valid():
        messages.error(request, _("Enter the receipt number."))
        return redirect("backoffice:dossier", public_id=public_id)
    try:
        services.record_payment(
            item, amount=item.fee_due, actor=request.user, reference=form.cleaned_data["reference"]
        )
    except DossierError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Fee recorded as paid."))
    return redirect("backoffice:dossier", public_id=public_id)


@staff_required
def download_result(request, public_id):
    result = get_object_or_404(DossierResult, dossier=_dossier(request, public_id))
    return FileResponse(
        result.file.open("rb"),
        as_attachment=True,
        filename=result.original_name,
        content_type="application/pdf",
    )


@staff_required
def download_file(request, public_id, pk):
    """A document of the dossier: for a desk scan, its copy stamped with its QR code
    (TT 01/2023/TT-VPCP), or with ``?ban-goc=1`` the officer's original."""
    record = get_object_or_404(DossierFile, dossier=_dossier(request, public_id), pk=pk)
    if record.stamped_file and not request.GET.get("ban-goc"):
        stem, _dot, extension = record.original_name.rpartition(".")
        return FileResponse(
            record.stamped_file.open("rb"), as_attachment=True, filename=f"{stem}-qr.{extension}"
        )
    return FileResponse(record.file.open("rb"), as_attachment=True, filename=record.original_name)


@staff_required
@require_POST
def act(request, public_id, action):
    item = _dossier(request, public_id)
    staff_action = STAFF_ACTIONS.get(action)
    if staff_action is None:
        raise Http404
    form = staff_action.form(request.POST) if staff_action.form else None
    if form is not None and not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
        return redirect("backoffice:dossier", public_id=public_id)
    try:
        staff_action.run(action, item, request.user, form.cleaned_data if form else {})
    except DossierError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": staff_action.label})
    return redirect("backoffice:dossier", public_id=public_id)


#: Official sheets of a dossier: URL name → (builder, file name) (Circular 01/2018 forms).
SHEETS = {
    "phieu-hen": (lambda d, base: sheets.receipt_pdf(d, base_url=base), "giay-tiep-nhan"),
    "phieu-kiem-soat": (
        lambda d, base: sheets.control_sheet_pdf(d, base_url=base),
        "phieu-kiem-soat",
    ),
    "phieu-tu-choi": (lambda d, base: sheets.refusal_pdf(d, base_url=base), "phieu-tu-choi"),
    "phieu-bo-sung": (
        lambda d, base: sheets.supplement_pdf(
            d.supplement_requests.latest("requested_at"), base_url=base
        ),
        "phieu-yeu-cau-bo-sung",
    ),
    "phieu-xin-loi": (
        lambda d, base: sheets.apology_pdf(d.apologies.latest("signed_at"), base_url=base),
        "phieu-xin-loi",
    ),
}


@staff_required
def sheet(request, public_id, kind):
    """One official sheet of a dossier as a PDF, with the QR of its public lookup page."""
    if kind not in SHEETS:
        raise Http404
    item = _dossier(request, public_id)
    build, name = SHEETS[kind]
    try:
        pdf = build(item, request.build_absolute_uri("/").rstrip("/"))
    except (ValueError, ObjectDoesNotExist):
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}-{item.code}.pdf"'
    return response
