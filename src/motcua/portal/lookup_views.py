"""Status lookup without signing in: the page (by code or the receipt's QR address) and the
SMS gateway's endpoint (BN 14.6, HG 8; SPEC §3 item 4)."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from . import lookup as service
from .caching import render_public


def _too_many(request, wait: int) -> HttpResponse:
    response = render(request, "portal/rate_limited.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


@require_safe
def lookup(request, code=None):
    """The lookup form, and a dossier's public status at ``/tra-cuu/<code>/``, the address
    the receipt's QR code carries. Status and dates only, never personal data; read anew
    for each request, in a page otherwise rendered once for many visitors."""
    if code is None:
        typed = request.GET.get("ma", "")
        if typed.strip():
            cleaned = service.clean_code(typed)
            if cleaned:
                return redirect("portal:lookup_code", code=cleaned)
            return render_public(
                request,
                "portal/lookup.html",
                key=("invalid",),
                context=lambda: {"invalid": True},
                slots={"code": typed},
            )
        return render_public(request, "portal/lookup.html")
    wait = service.throttle_client(request.META.get("REMOTE_ADDR", ""))
    if wait:
        return _too_many(request, wait)
    found = service.find(code)
    response = render_public(
        request,
        "portal/lookup.html",
        slots={"code": code, "found": found.shown() if found else None},
        status=200 if found else 404,
    )
    add_never_cache_headers(response)
    return response


@csrf_exempt
@require_POST
def sms(request):
    """The SMS gateway posts an inbound message (``from``, ``text``) with the shared token
    in ``Authorization: Bearer …`` and sends back the plain-text reply (BN 14.6.c)."""
    if not service.sms_enabled():
        raise Http404
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not service.gateway_authorised(token.strip()):
        return HttpResponse(status=401, headers={"WWW-Authenticate": "Bearer"})
    answer = service.answer_sms(request.POST.get("from", ""), request.POST.get("text", ""))
    response = HttpResponse(
        answer.reply,
        status=429 if answer.wait else 200,
        content_type="text/plain; charset=utf-8",
    )
    if answer.wait:
        response["Retry-After"] = str(answer.wait)
    return response
