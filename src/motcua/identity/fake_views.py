"""The pages and endpoints of the in-process identity provider (demo and tests only): they
exist while ``MOTCUA_SSO_PROVIDER`` is ``"fake"`` and are 404 otherwise."""

from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from . import fake_provider
from .fake_provider import DEMO_IDENTITIES, DemoIdentity, ProviderError
from .forms import FakeIdentityForm


def fake_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if settings.MOTCUA_SSO_PROVIDER != "fake":
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@fake_only
@never_cache
def authorize(request):
    """GET: who signs in. POST: back to the client with a code, or with ``access_denied``."""
    params = request.GET.dict()
    try:
        fake_provider.check_authorization_request(params)
    except ProviderError as error:
        return HttpResponseBadRequest(f"{error.error}: {error.description}")
    form = FakeIdentityForm(request.POST or None)
    if request.method == "POST":
        if "cancel" in request.POST:
            return redirect(fake_provider.deny(params))
        if form.is_valid():
            return redirect(fake_provider.grant(params, _identity(form.cleaned_data)))
    return render(
        request,
        "identity/fake_authorize.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _identity(data: dict) -> DemoIdentity:
    if data.get("person") not in (None, "", "other"):
        return DEMO_IDENTITIES[int(data["person"])]
    identifier = data["identifier"].strip()
    name = " ".join(data["full_name"].split())
    if len(identifier) == 12:
        return DemoIdentity(name, personal_id=identifier)
    return DemoIdentity(name, tax_code=identifier)


@fake_only
@csrf_exempt
@never_cache
def endpoint(request, path):
    """The back-channel endpoints over HTTP, for clients outside this process."""
    name = "/" + path
    if name not in fake_provider.ENDPOINTS:
        raise Http404
    params = request.GET.dict() | request.POST.dict()
    status, payload = fake_provider.answer(
        name,
        fake_provider.issuer_for(request),
        params,
        request.headers.get("Authorization", ""),
    )
    return JsonResponse(payload, status=status)


@fake_only
def root(request):
    return redirect("identity:fake_provider_endpoint", path=".well-known/openid-configuration")
