"""The Content-Security-Policy header (SPEC §3 item 25; TN 11: level-3 system). Pages load
scripts, styles, images and fonts from the System itself only; no inline script or style
runs, and no other site may frame the pages. ``form-action`` is left out: a form's answer
may redirect to the payment gateway or the national portal's sign-in page."""

from django.conf import settings

DEFAULT_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
}

#: The API's documentation pages (Swagger UI, ReDoc) start their viewers with inline code;
#: they show the public OpenAPI document only.
API_DOCS_POLICY = DEFAULT_POLICY | {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "worker-src": ["'self'", "blob:"],
}

DEFAULT_PATH_POLICIES = {"/api/docs/": API_DOCS_POLICY, "/api/redoc/": API_DOCS_POLICY}


def header_value(policy: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Adds the policy of ``MOTCUA_CSP`` (default :data:`DEFAULT_POLICY`), or the one of
    ``MOTCUA_CSP_PATHS`` for a path starting with one of its keys, to every response that
    does not set its own. Django's debug pages (``DEBUG`` on, error status) get none: they
    are made of inline code."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = header_value(getattr(settings, "MOTCUA_CSP", DEFAULT_POLICY))
        paths = getattr(settings, "MOTCUA_CSP_PATHS", DEFAULT_PATH_POLICIES)
        self.paths = [(prefix, header_value(policy)) for prefix, policy in paths.items()]

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code >= 400:
            return response
        value = next(
            (value for prefix, value in self.paths if request.path.startswith(prefix)),
            self.value,
        )
        response.headers.setdefault("Content-Security-Policy", value)
        return response
