"""The Portal's sign-in pages (SPEC §3 item 2): the national SSO (HG 5.6, TN 5.5), a phone
code where the profile allows local accounts (VP 10), sign-out and the applicant's profile."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from motcua.portal.auth import applicant_required, is_applicant

from . import otp, services, sso
from .forms import CodeForm, PhoneForm, ProfileForm

SESSION_NEXT = "identity_next"
SESSION_PHONE = "identity_phone"
BACKEND = settings.AUTHENTICATION_BACKENDS[0]


def safe_next(request, url: str | None) -> str:
    """``url`` when it stays on this site, else the applicant's own page."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    try:
        return reverse("portal:my_dossiers")
    except NoReverseMatch:
        return reverse("identity:profile")


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _sign_in(request, user):
    login(request, user, backend=BACKEND)


def _page(request, *, status=200, error="", phone_form=None):
    next_url = safe_next(request, request.GET.get("next") or request.POST.get("next"))
    return render(
        request,
        "identity/sign_in.html",
        {
            "next": next_url,
            "error": error,
            "phone_allowed": otp.phone_sign_in_allowed(),
            "phone_form": phone_form or PhoneForm(),
            "is_staff_member": request.user.is_authenticated and not is_applicant(request.user),
        },
        status=status,
    )


@never_cache
def sign_in(request):
    """The sign-in page; an applicant already signed in goes on to ``next``."""
    if is_applicant(request.user):
        return redirect(safe_next(request, request.GET.get("next")))
    return _page(request)


@never_cache
def sso_start(request):
    """Off to the national public-service portal, remembering where to come back to."""
    request.session[SESSION_NEXT] = safe_next(request, request.GET.get("next"))
    try:
        return sso.start(request, request.build_absolute_uri(reverse("identity:oidc_callback")))
    except sso.SignInRefused as refusal:
        return _page(request, status=503, error=refusal.message)


@never_cache
def oidc_callback(request):
    """Back from the national portal: verify, map to an applicant account, sign in."""
    try:
        identity = sso.finish(request)
        user = services.applicant_for_identity(identity)
    except sso.SignInRefused as refusal:
        status = 503 if refusal.code == "unavailable" else 400
        return _page(request, status=status, error=refusal.message)
    next_url = safe_next(request, request.session.pop(SESSION_NEXT, None))
    _sign_in(request, user)
    return redirect(next_url)


def _phone_allowed():
    if not otp.phone_sign_in_allowed():
        raise Http404


@never_cache
@require_POST
def phone_start(request):
    """Send a code to the phone number typed on the sign-in page."""
    _phone_allowed()
    form = PhoneForm(request.POST)
    if not form.is_valid():
        return _page(request, status=400, phone_form=form)
    try:
        phone = otp.send_code(form.cleaned_data["phone"], _client_ip(request))
    except otp.OtpRefused as refusal:
        form.add_error("phone", refusal.message)
        status = 503 if refusal.code == "sms_unavailable" else 429
        return _page(request, status=status, phone_form=form)
    request.session[SESSION_PHONE] = phone
    request.session[SESSION_NEXT] = safe_next(request, request.POST.get("next"))
    messages.info(
        request, _("A 6-digit code was sent by SMS to %(phone)s.") % {"phone": _masked(phone)}
    )
    return redirect("identity:phone_verify")


def _masked(phone: str) -> str:
    return phone[:3] + "•" * (len(phone) - 6) + phone[-3:]


@never_cache
def phone_verify(request):
    """Type the code; the right one signs in to the phone's local account."""
    _phone_allowed()
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return redirect("identity:sign_in")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                user = otp.verify_code(phone, form.cleaned_data["code"], _client_ip(request))
            except otp.OtpRefused as refusal:
                form.add_error("code", refusal.message)
            else:
                next_url = safe_next(request, request.session.pop(SESSION_NEXT, None))
                _sign_in(request, user)
                if not user.full_name:
                    messages.info(request, _("Welcome. Please enter your full name."))
                    return redirect("identity:profile")
                return redirect(next_url)
        status = 400
    return render(
        request,
        "identity/phone_verify.html",
        {"form": form, "phone": _masked(phone), "minutes": otp.code_minutes()},
        status=status,
    )


@require_POST
def sign_out(request):
    logout(request)
    return redirect("/")


@never_cache
@applicant_required
def profile(request):
    """The applicant's account: who they are, and the contact details they may change."""
    user = request.user
    account = services.profile_of(user)
    local = bool(account.sign_in_phone)
    initial = {
        "full_name": user.full_name,
        "phone": user.phone,
        "email": user.email,
        "address": account.address,
    }
    form = ProfileForm(request.POST or None, initial=initial, name_editable=local)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_contact(
                    user,
                    phone=data["phone"],
                    email=data["email"],
                    address=data["address"],
                    full_name=data.get("full_name"),
                )
            except ValidationError as error:
                for field, errors in getattr(error, "error_dict", {None: error.error_list}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Your contact details were saved."))
                return redirect("identity:profile")
        status = 400
    return render(
        request,
        "identity/profile.html",
        {"form": form, "account": account, "local": local, "identities": _identities(user)},
        status=status,
    )


def _identities(user):
    return user.external_identities.order_by("-last_sign_in_at")
