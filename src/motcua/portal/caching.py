"""Caching of the Portal's public pages (SPEC §6).

Over HTTP: conditional GET with Last-Modified and ETag, shared caches allowed for visitors
who are not signed in, one copy per language. The ETag also covers what differs between
visitors on the same page: the language, the signed-in account shown in the header and the
CSRF cookie the language form carries.

On the server (:func:`render_public`): a public page is rendered once for every visitor who
is not signed in, with markers where it differs between requests (the slots: the visitor's
address and CSRF token, and what the view names), then filled in for each request.
"""

import hashlib
import html
import itertools
import re
import secrets
from collections.abc import Callable, Mapping
from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition

from motcua.operations import maintenance

#: Seconds a rendered page is kept: what its key does not cover (a field or an agency
#: renamed) shows by then.
PAGE_SECONDS = 60
PAGE_KEY = "portal:page"


def max_age() -> int:
    """Seconds a public page may be reused without asking (``MOTCUA_PORTAL_MAX_AGE``)."""
    return settings.MOTCUA_PORTAL_MAX_AGE


def public_page(state):
    """Cache a GET view whose content depends on ``state(request, *args, **kwargs)``:
    ``(last modified, anything else that changes the page)``; None means no such page.
    The view reads it again with :func:`page_state`."""

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


def page_state(request) -> tuple:
    """The state :func:`public_page` read for this request."""
    return request._portal_state


# Server-side copies -----------------------------------------------------------------------


def render_public(
    request,
    template_name: str,
    *,
    key: tuple = (),
    context: Callable[[], dict] = dict,
    slots: Mapping | None = None,
    status: int = 200,
) -> HttpResponse:
    """``render(request, template_name, context() | slots)``, from a copy kept
    ``PAGE_SECONDS`` for visitors who are not signed in and have no message waiting.

    The copy is shared by the requests with the same ``key`` (what the page shows besides
    its slots, e.g. the catalogue's state), language, time zone, maintenance banner and
    empty slots. ``context`` is called only to render. ``slots`` change with each request:
    text, or a mapping of text one level deep; the visitor's address (``page_path``) and
    CSRF token are slots of every page. A template only prints a slot (escaped, or with
    ``|default`` or ``|urlencode``) or tests it (``{% if %}``); a signed-in visitor gets
    the page rendered for them.
    """
    slots = {**(slots or {}), "page_path": request.get_full_path()}
    if request.user.is_authenticated or get_messages(request):
        return render(request, template_name, {**context(), **slots}, status=status)
    slots["csrf_token"] = get_token(request)
    parts = [
        template_name,
        *map(str, key),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        repr([(n.pk, n.starts_at, n.ends_at, n.description) for n in maintenance.banner()]),
        repr(_shape(slots)),
    ]
    page_key = f"{PAGE_KEY}:{hashlib.sha256('|'.join(parts).encode()).hexdigest()}"
    page = cache.get(page_key)
    if page is None:
        nonce = secrets.token_hex(8)
        text = render_to_string(template_name, {**context(), **_marked(slots, nonce)}, request)
        page = tuple(re.split(rf"{nonce}(:|%3A)(\d+)~", text))
        cache.set(page_key, page, PAGE_SECONDS)
    return HttpResponse(_filled(page, list(_values(slots))), status=status)


def _shape(slots: Mapping) -> list:
    """Which slots are empty: the template may test them."""
    return [
        (name, [k for k, v in value.items() if v] if isinstance(value, Mapping) else bool(value))
        for name, value in slots.items()
    ]


def _marked(slots: Mapping, nonce: str) -> dict:
    """The slots as markers, numbered in the order of :func:`_values`; empty ones as ''."""
    count = itertools.count()

    def mark(value):
        return f"{nonce}:{next(count)}~" if value else ""

    return {
        name: {k: mark(v) for k, v in value.items()} if isinstance(value, Mapping) else mark(value)
        for name, value in slots.items()
    }


def _values(slots: Mapping):
    for value in slots.values():
        for one in value.values() if isinstance(value, Mapping) else (value,):
            if one:
                yield str(one)


def _filled(page: tuple[str, ...], values: list[str]) -> str:
    """The page with each marker replaced: escaped in HTML, quoted in a URL (``urlencode``)."""
    out = [page[0]]
    for at in range(1, len(page), 3):
        value = values[int(page[at + 1])]
        out.append(html.escape(value) if page[at] == ":" else quote(value))
        out.append(page[at + 2])
    return "".join(out)
