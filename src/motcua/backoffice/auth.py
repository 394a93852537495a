"""Staff sign-in: password (with lockout), then a TOTP code; first sign-in enrols the
authenticator app (TN 11: two-factor authentication for staff)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


def staff_required(view):
    """Signed in, staff, and verified by the second factor; anyone else is turned away
    without learning anything about the page."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff_member:
            raise PermissionDenied
        if not request.user.is_verified():
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('backoffice:two_factor')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped
