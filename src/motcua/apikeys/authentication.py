"""How the REST API accepts keys (SPEC §3 item 21): ``Authorization: Api-Key <secret>``.

:class:`KeyAuthentication` identifies the key (an unusable one is refused with a structured
error: ``key_invalid``, ``key_revoked``, ``key_expired``); the permissions check the view's
``key_scope``; :class:`KeyRateThrottle` applies the key's own limit (HG 11.3)."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import APIException
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_api_key.permissions import KeyParser

from . import services
from .models import IntegrationKey


def presented_key(request) -> IntegrationKey | None:
    """The key a DRF request was authenticated with, if any."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, IntegrationKey) else None


class KeyRefused(APIException):
    """401 with ``WWW-Authenticate: Api-Key`` on every view, whichever authentication comes
    first in its list (DRF turns an AuthenticationFailed into a 403 when that one is the
    session's)."""

    status_code = 401
    auth_header = KeyParser.keyword


class KeyAuthentication(BaseAuthentication):
    """The key becomes ``request.auth``; the user stays anonymous. The key is also noted on
    the underlying request, refused or not, so that its call is logged."""

    keyword = KeyParser.keyword

    def authenticate(self, request):
        secret = KeyParser().get(request._request)
        if not secret:
            return None
        try:
            key = services.check(secret)
        except services.KeyRefused as refused:
            request._request.integration_key = refused.key
            raise KeyRefused(refused.message, code=refused.code) from None
        request._request.integration_key = key
        return AnonymousUser(), key

    def authenticate_header(self, request):
        return self.keyword


class KeyScope(BasePermission):
    """A key whose scopes include the view's ``key_scope``; keys only read."""

    message = _("This API key does not have the scope for this endpoint.")
    code = "scope_missing"

    def has_permission(self, request, view):
        key = presented_key(request)
        return (
            key is not None
            and request.method in SAFE_METHODS
            and key.has_scope(getattr(view, "key_scope", None))
        )


class PublicOrKeyScope(KeyScope):
    """Public endpoints: open to anyone without a key; a caller with a key needs the scope."""

    def has_permission(self, request, view):
        return presented_key(request) is None or super().has_permission(request, view)


class SignedInOrKeyScope(KeyScope):
    """Signed-in users, or a key with the scope."""

    def has_permission(self, request, view):
        if presented_key(request) is None:
            return bool(request.user and request.user.is_authenticated)
        return super().has_permission(request, view)


class KeyRateThrottle(SimpleRateThrottle):
    """Each key's own ``rate_per_minute`` (HG 11.3). Going over it alerts the operator, once
    per alert window. Calls without a key are not counted here."""

    scope = "apikey"

    def __init__(self):
        """The rate is the key's, read per request."""

    def allow_request(self, request, view):
        key = presented_key(request)
        if key is None:
            return True
        self.rate = f"{key.rate_per_minute}/min"
        self.num_requests, self.duration = self.parse_rate(self.rate)
        allowed = super().allow_request(request, view)
        if not allowed:
            services.raise_alert(key)
        return allowed

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": presented_key(request).prefix}
