"""Sign-ins and refused sign-ins, wherever they happen (back office, admin, portal), are
audited through Django's own authentication signals (TN 11)."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .services import record


@receiver(user_logged_in, dispatch_uid="audit-sign-in")
def _signed_in(sender, request, user, **kwargs):
    record(user, "auth.sign_in", user, request=request)


@receiver(user_login_failed, dispatch_uid="audit-sign-in-failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # The password is already masked by Django; only the name tried is kept.
    record(
        None,
        "auth.sign_in_failed",
        None,
        {"username": credentials.get("username", "")},
        request=request,
    )
