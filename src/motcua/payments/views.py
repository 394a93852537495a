"""Pages of the online payment (SPEC §3 item 5): the fees page that starts a payment, the
page the payer's browser comes back to, the gateway's server-to-server callback, the
receipt, and the fake gateway's page for the demo and the tests."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from motcua.accounts.models import User
from motcua.backoffice.auth import staff_required
from motcua.dossiers.access import visible_dossiers
from motcua.dossiers.errors import DossierError
from motcua.portal.auth import applicant_required

from . import gateways, receipts, services
from .gateways import FakeGateway, PaymentRejected
from .models import Payment


def _dossier(request, public_id):
    """A dossier the signed-in user may see, or 404 (nothing is said about the others)."""
    return get_object_or_404(
        visible_dossiers(request.user).select_related("procedure", "agency"),
        public_id=public_id,
    )


@never_cache
@applicant_required
@require_http_methods(["GET", "POST"])
def start(request, public_id):
    """GET: the fees and the button to pay. POST: a pending payment, and off to the gateway."""
    dossier = _dossier(request, public_id)
    if request.method == "POST":
        try:
            _payment, url = services.start(
                dossier,
                request.user,
                return_url=request.build_absolute_uri(reverse("payments:return")),
                client_ip=request.META.get("REMOTE_ADDR", ""),
            )
        except DossierError as error:
            messages.error(request, error.message)
            return redirect("payments:start", public_id=public_id)
        return redirect(url)
    paid = services.paid_payment(dossier)
    try:
        services.check_payable(dossier)
        refusal = ""
    except DossierError as error:
        refusal = error.message
    fees = (
        paid.items
        if paid
        else [{"name": fee.name, "amount": fee.amount} for fee in dossier.procedure.fees.all()]
    )
    return render(
        request,
        "payments/pay.html",
        {
            "dossier": dossier,
            "fees": fees,
            "total": sum(fee["amount"] for fee in fees),
            "paid": paid,
            "refusal": refusal,
        },
    )


@never_cache
@applicant_required
def returned(request):
    """Where the gateway brings the payer back. The signed parameters say which payment;
    its state is the one the server-to-server callback recorded."""
    try:
        payment = services.returning(request.GET.dict(), request.user)
    except PaymentRejected:
        return render(request, "payments/result.html", {"rejected": True}, status=400)
    except Payment.DoesNotExist:
        raise Http404 from None
    return render(request, "payments/result.html", {"payment": payment, "dossier": payment.dossier})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def callback(request):
    """The gateway's IPN: the only message that settles a payment. Always answered, with
    the gateway's own code for what was done."""
    params = request.GET if request.method == "GET" else request.POST
    gateway = gateways.get_gateway()
    reason = services.confirm(
        params.dict(), gateway=gateway, source=request.META.get("REMOTE_ADDR", "")
    )
    return JsonResponse(gateway.answer(reason))


def _receipt(request, public_id):
    dossier = _dossier(request, public_id)
    payment = services.paid_payment(dossier)
    if payment is None:
        raise Http404
    pdf = receipts.receipt_pdf(payment, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{dossier.code}.pdf"'
    return response


_staff_receipt = staff_required(_receipt)
_applicant_receipt = applicant_required(_receipt)


@never_cache
def receipt(request, public_id):
    """The receipt of the fee paid online: for the applicant, and for staff who see the
    dossier (signed in with both factors)."""
    if request.user.is_authenticated and request.user.kind == User.Kind.STAFF:
        return _staff_receipt(request, public_id)
    return _applicant_receipt(request, public_id)


@never_cache
@require_http_methods(["GET", "POST"])
def fake_gateway(request):
    """The fake gateway's page, only when it is the configured gateway. GET shows the
    order it was sent; POST pays or cancels it.

    A real gateway calls ``payments:callback`` over HTTP before or while it brings the
    browser back. The fake is in the same process, so it delivers that callback by calling
    the handler behind the view (``services.confirm``) with the exact signed parameters,
    then redirects the browser to the return URL with the same parameters: an HTTP call to
    itself would wait on the single-threaded development server and on SQLite's one
    writer."""
    if gateways.configured_name() != FakeGateway.name:
        raise Http404
    gateway = gateways.get_gateway()
    source = request.GET if request.method == "GET" else request.POST
    try:
        order = gateway.check_order(source.dict())
        return_url = gateway.return_url(order)
    except PaymentRejected as rejection:
        return render(
            request, "payments/fake_gateway.html", {"rejected": rejection.reason}, status=400
        )
    if request.method == "POST":
        outcome = gateway.outcome_of(order, pay=request.POST.get("action") == "pay")
        services.confirm(outcome, gateway=gateway, source="fake gateway")
        return redirect(f"{return_url}?{urlencode(outcome)}")
    return render(
        request,
        "payments/fake_gateway.html",
        {
            "order": order,
            "merchant": order["vnp_TmnCode"],
            "amount": int(order["vnp_Amount"]) // 100,
            "description": order["vnp_OrderInfo"],
            "reference": order["vnp_TxnRef"],
        },
    )
