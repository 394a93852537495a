"""Who may use the applicant's pages of the Portal: a signed-in citizen or organisation.
Staff accounts are not applicants; anyone else is sent to sign in (SPEC §3 item 2)."""

from functools import wraps

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url

from motcua.accounts.models import User

APPLICANT_KINDS = frozenset({User.Kind.CITIZEN, User.Kind.ORGANISATION})


def is_applicant(user) -> bool:
    return user.is_authenticated and user.is_active and user.kind in APPLICANT_KINDS


def applicant_required(view):
    """Signed in as an applicant; otherwise to the sign-in page, then back."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(
                request.get_full_path(),
                resolve_url(settings.MOTCUA_PORTAL_SIGN_IN_URL),
                REDIRECT_FIELD_NAME,
            )
        if not is_applicant(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
