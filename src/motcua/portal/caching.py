"""HTTP caching of the Portal's public pages (SPEC §6): conditional GET with Last-Modified
and ETag, shared caches allowed for visitors who are not signed in, one copy per language.

The ETag also covers what differs between visitors on the same page: the language, the
signed-in account shown in the header and the CSRF cookie the language form carries.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition


def max_age() -> int:
    """Seconds a public page may be reused without asking (``MOTCUA_PORTAL_MAX_AGE``)."""
    return settings.MOTCUA_PORTAL_MAX_AGE


def public_page(state):
    """Cache a GET view whose content depends on ``state(request, *args, **kwargs)``:
    ``(last modified, anything else that changes the page)``; None means no such page."""

    def decorator(view):
        def cached_state(request, *args, **kwargs):
            if not hasattr(request, "_portal_state"):
                request._portal_state = state(request, *args, **kwargs)
            return request._portal_state

        def last_modified(request, *args, **kwargs):
            found = cached_state(request, *args, **kwargs)
            return found[0] if found else None

        def etag(request, *args, **kwargs):
            found = cached_state(request, *args, **kwargs)
            if not found:
                return None
            parts = [
                *(str(part) for part in found),
                request.LANGUAGE_CODE,
                str(request.user.pk or ""),
                request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
            ]
            return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]

        conditional = condition(etag_func=etag, last_modified_func=last_modified)(view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = conditional(request, *args, **kwargs)
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, max_age=0)
            else:
                patch_cache_control(response, public=True, max_age=max_age())
            patch_vary_headers(response, ("Cookie",))
            return response

        return wrapped

    return decorator
