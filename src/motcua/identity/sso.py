"""Sign-in through the national public-service portal's SSO with OpenID Connect
(SPEC §3 item 2; HG 5.6: VNeID for people, business accounts for organisations; TN 5.5).

Authlib's Django client does the protocol: the provider is found by discovery, the
authorisation code flow carries PKCE (S256), ``state`` is bound to the browser's session and
``nonce`` to the ID token, whose RS256 signature is checked against the provider's JWKS and
whose issuer, audience and expiry are validated. This module chooses the provider
(``MOTCUA_SSO_PROVIDER``: ``"fake"`` for the in-process provider of the demo and the tests,
``"oidc"`` for the real one at ``MOTCUA_SSO_ISSUER``) and turns every failure into one
:class:`SignInRefused` with a stable ``code``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from joserfc.errors import JoseError

from . import fake_provider

logger = logging.getLogger(__name__)

CLIENT_NAME = "national_sso"
#: How long the real provider's discovery document and keys are kept (key rotation
#: forces a fresh fetch of the keys whenever a token names an unknown key).
METADATA_SECONDS = 3600
_metadata_cache: dict[str, dict] = {}

REFUSALS = {
    "state": _(
        "The sign-in could not be confirmed (it was started in another window or took too "
        "long). Please sign in again."
    ),
    "cancelled": _("You cancelled the sign-in at the national public-service portal."),
    "provider_error": _("The national public-service portal refused the sign-in."),
    "bad_token": _(
        "The national public-service portal's answer could not be verified. "
        "Nobody was signed in. Please try again."
    ),
    "unavailable": _(
        "The national public-service portal cannot be reached at the moment. "
        "Please try again later."
    ),
    "no_identifier": _(
        "The national account carries neither a personal identification number nor a tax "
        "code, so it cannot be used to apply."
    ),
    "staff": _(
        "This identity belongs to a staff account. Staff sign in to the back office "
        "(/noi-bo/), not here."
    ),
    "suspended": _("This account is suspended. Please contact the one-stop desk."),
    "mismatch": _(
        "This national account no longer matches the applicant account it was linked to. "
        "Please contact the one-stop desk."
    ),
}


class SignInRefused(Exception):
    """Nobody is signed in; ``code`` says why (a key of :data:`REFUSALS`)."""

    def __init__(self, code: str, detail: str = ""):
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}" if detail else code)

    @property
    def message(self) -> str:
        return str(REFUSALS[self.code])


@dataclass(frozen=True)
class SsoIdentity:
    """Who the provider says signed in."""

    issuer: str
    subject: str
    full_name: str
    personal_id: str = ""
    tax_code: str = ""
    phone: str = ""
    email: str = ""


def issuer(request) -> str:
    if settings.MOTCUA_SSO_PROVIDER == "fake":
        return fake_provider.issuer_for(request)
    if settings.MOTCUA_SSO_PROVIDER == "oidc":
        if not settings.MOTCUA_SSO_ISSUER:
            raise ImproperlyConfigured("MOTCUA_SSO_ISSUER must be set for the OIDC provider.")
        return settings.MOTCUA_SSO_ISSUER.rstrip("/")
    raise ImproperlyConfigured(
        f"Unknown MOTCUA_SSO_PROVIDER {settings.MOTCUA_SSO_PROVIDER!r}; use 'fake' or 'oidc'."
    )


def client(request) -> DjangoOAuth2App:
    """Authlib's client for the configured provider."""
    url = issuer(request)
    is_fake = settings.MOTCUA_SSO_PROVIDER == "fake"
    metadata = {} if is_fake else _cached_metadata(url)
    app = DjangoOAuth2App(
        DjangoIntegration(CLIENT_NAME),
        name=CLIENT_NAME,
        client_id=settings.MOTCUA_SSO_CLIENT_ID,
        client_secret=settings.MOTCUA_SSO_CLIENT_SECRET,
        server_metadata_url=f"{url}/.well-known/openid-configuration",
        client_kwargs={
            "scope": settings.MOTCUA_SSO_SCOPE,
            "code_challenge_method": "S256",
            "default_timeout": settings.MOTCUA_SSO_TIMEOUT,
        },
        **metadata,
    )
    app.client_cls = fake_provider.InProcessSession if is_fake else OAuth2Session
    return app


def _cached_metadata(url: str) -> dict:
    cached = _metadata_cache.get(url)
    if cached and time.time() - cached.get("_loaded_at", 0) < METADATA_SECONDS:
        return cached
    return {}


def _remember(app: DjangoOAuth2App, url: str) -> None:
    if settings.MOTCUA_SSO_PROVIDER == "oidc" and "_loaded_at" in app.server_metadata:
        _metadata_cache[url] = dict(app.server_metadata)


def start(request, redirect_uri: str):
    """The redirect to the provider's authorisation page; state, nonce and the PKCE verifier
    are kept in the session."""
    app = client(request)
    try:
        response = app.authorize_redirect(request, redirect_uri)
    except (requests.RequestException, ValueError, KeyError) as error:
        logger.warning("National SSO unavailable at sign-in start: %s", type(error).__name__)
        raise SignInRefused("unavailable", type(error).__name__) from error
    _remember(app, issuer(request))
    return response


def finish(request) -> SsoIdentity:
    """Check the provider's answer to the callback and return who signed in; anything that
    does not verify is :class:`SignInRefused` and signs nobody in."""
    url = issuer(request)
    app = client(request)
    options = {
        "iss": {"essential": True, "value": url},
        "aud": {"essential": True, "value": settings.MOTCUA_SSO_CLIENT_ID},
    }
    try:
        token = app.authorize_access_token(request, claims_options=options, leeway=60)
        claims = token.get("userinfo")
        if not claims:
            raise SignInRefused("bad_token", "no ID token")
        extra = {}
        if app.server_metadata.get("userinfo_endpoint"):
            extra = dict(app.userinfo(token=token))
            if extra.get("sub") != claims["sub"]:
                raise SignInRefused("bad_token", "userinfo is about someone else")
    except MismatchingStateError as error:
        raise SignInRefused("state") from error
    except OAuthError as error:
        code = "cancelled" if error.error == "access_denied" else "provider_error"
        raise SignInRefused(code, str(error.error)) from error
    except JoseError as error:
        logger.warning("National SSO ID token refused: %s", error.error)
        raise SignInRefused("bad_token", error.error) from error
    except (requests.RequestException, ValueError) as error:
        logger.warning("National SSO unavailable at callback: %s", type(error).__name__)
        raise SignInRefused("unavailable", type(error).__name__) from error
    _remember(app, url)
    merged = {**extra, **claims}  # the signed ID token wins over userinfo
    return SsoIdentity(
        issuer=url,
        subject=str(claims["sub"]),
        full_name=str(merged.get("name", "")).strip(),
        personal_id=str(merged.get(settings.MOTCUA_SSO_CLAIM_PERSONAL_ID, "")).strip(),
        tax_code=str(merged.get(settings.MOTCUA_SSO_CLAIM_TAX_CODE, "")).strip(),
        phone=str(merged.get("phone_number", "")).strip(),
        email=str(merged.get("email", "")).strip(),
    )
