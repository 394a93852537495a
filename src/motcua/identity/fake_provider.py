"""An in-process stand-in for the national public-service portal's SSO (SPEC §3 item 22),
used by ``motcua demo`` and the tests so that the whole OpenID Connect redirect flow works
offline: discovery, an authorisation page where the demo user picks who they are, a token
endpoint (authorisation code with PKCE), userinfo, and RS256-signed ID tokens whose key is
generated once and kept in the database.

Its issuer is the address it is reached at (``…/tai-khoan/sso-gia-lap``). The browser reaches
its pages over HTTP like any provider's; the System's own back-channel calls (discovery,
token, JWKS, userinfo) are answered by :class:`InProcessAdapter` without a socket, so they work
the same under ``runserver`` (one process serving one request at a time per thread) and in
Django test-client tests (no server at all).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import secrets
import time
import urllib.parse
from dataclasses import dataclass
from datetime import timedelta

import requests
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from joserfc import jwt
from joserfc.jwk import RSAKey
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from .models import FakeProviderGrant, FakeProviderKey

CODE_LIFETIME = timedelta(minutes=1)
ID_TOKEN_LIFETIME = timedelta(minutes=5)
ACCESS_TOKEN_MAX_AGE = 300  # seconds
_ACCESS_SALT = "motcua.identity.fake_provider.access"


@dataclass(frozen=True)
class DemoIdentity:
    """Someone the demo user may sign in as: a person (VNeID, personal ID number) or an
    organisation (business account, tax code) — HG 5.6."""

    full_name: str
    personal_id: str = ""
    tax_code: str = ""
    phone: str = ""
    email: str = ""

    @property
    def subject(self) -> str:
        return f"cd-{self.personal_id}" if self.personal_id else f"dn-{self.tax_code}"

    def claims(self) -> dict:
        claims = {"sub": self.subject, "name": self.full_name}
        if self.personal_id:
            claims[settings.MOTCUA_SSO_CLAIM_PERSONAL_ID] = self.personal_id
        if self.tax_code:
            claims[settings.MOTCUA_SSO_CLAIM_TAX_CODE] = self.tax_code
        if self.phone:
            claims["phone_number"] = self.phone
        if self.email:
            claims["email"] = self.email
        return claims


#: The demo province's applicants (the same people as the demo accounts) and one more.
DEMO_IDENTITIES: tuple[DemoIdentity, ...] = (
    DemoIdentity("Nguyễn Văn An", personal_id="027090001234", phone="0912345678"),
    DemoIdentity(
        "Trần Thị Bình",
        personal_id="027185005678",
        phone="0987654321",
        email="binh.tran@example.vn",
    ),
    DemoIdentity("Lê Minh Châu", personal_id="027201000345", phone="0903111222"),
    DemoIdentity(
        "Công ty TNHH Thương mại Kinh Bắc",
        tax_code="2300123456",
        phone="0222381234",
        email="lienhe@kinhbac.example.vn",
    ),
)


class ProviderError(Exception):
    """A request the provider refuses, with its OAuth error code."""

    def __init__(self, error: str, description: str = "", status: int = 400):
        self.error = error
        self.description = description
        self.status = status
        super().__init__(f"{error}: {description}")

    def as_json(self) -> dict:
        return {"error": self.error, "error_description": self.description}


def base_path() -> str:
    """The provider's path on this site, without the trailing slash."""
    return reverse("identity:fake_provider_root").rstrip("/")


def issuer_for(request) -> str:
    """The issuer as the browser reaches it on this site."""
    return request.build_absolute_uri(base_path())


# --- Keys ----------------------------------------------------------------------------------


def signing_key() -> RSAKey:
    """The provider's RSA key, generated the first time it is needed."""
    row = FakeProviderKey.objects.order_by("pk").first()
    if row is None:
        key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"})
        try:
            with transaction.atomic():
                row = FakeProviderKey.objects.create(
                    kid=key.thumbprint(), private_pem=key.as_pem(private=True).decode()
                )
        except IntegrityError:  # generated at the same moment by another request
            row = FakeProviderKey.objects.order_by("pk").first()
    return RSAKey.import_key(row.private_pem, parameters={"kid": row.kid, "use": "sig"})


def sign(claims: dict) -> str:
    """An RS256 JWT over ``claims`` with the provider's key."""
    key = signing_key()
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


# --- Endpoints -----------------------------------------------------------------------------


def discovery(issuer: str, params: dict, authorization: str) -> dict:
    """The OpenID Provider metadata (OpenID Connect Discovery 1.0)."""
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/uy-quyen/",
        "token_endpoint": f"{issuer}/token",
        "userinfo_endpoint": f"{issuer}/userinfo",
        "jwks_uri": f"{issuer}/jwks",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": ["openid", "profile", "email", "phone"],
        "claims_supported": [
            "sub",
            "name",
            "email",
            "phone_number",
            settings.MOTCUA_SSO_CLAIM_PERSONAL_ID,
            settings.MOTCUA_SSO_CLAIM_TAX_CODE,
        ],
    }


def jwks(issuer: str, params: dict, authorization: str) -> dict:
    return {"keys": [signing_key().as_dict(private=False)]}


def check_authorization_request(params: dict) -> dict:
    """The parameters of an authorisation request the provider accepts, or
    :class:`ProviderError` (never redirected: the redirect target itself may be wrong)."""
    if params.get("client_id") != settings.MOTCUA_SSO_CLIENT_ID:
        raise ProviderError("invalid_client", "unknown client")
    redirect_uri = params.get("redirect_uri", "")
    if urllib.parse.urlsplit(redirect_uri).path != reverse("identity:oidc_callback"):
        raise ProviderError("invalid_request", "redirect_uri is not registered")
    if params.get("response_type") != "code":
        raise ProviderError("unsupported_response_type", "only the code flow")
    if "openid" not in params.get("scope", "").split():
        raise ProviderError("invalid_scope", "openid is required")
    if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
        raise ProviderError("invalid_request", "PKCE with S256 is required")
    return params


def grant(params: dict, identity: DemoIdentity) -> str:
    """Issue an authorisation code for ``identity``; the address to send the browser back to."""
    params = check_authorization_request(params)
    code = secrets.token_urlsafe(32)
    FakeProviderGrant.objects.create(
        code_hash=_digest(code),
        client_id=params["client_id"],
        redirect_uri=params["redirect_uri"],
        code_challenge=params["code_challenge"],
        nonce=params.get("nonce", ""),
        claims=identity.claims(),
        expires_at=timezone.now() + CODE_LIFETIME,
    )
    return _back_to_client(params, {"code": code})


def deny(params: dict) -> str:
    """The user declined: back to the client with ``access_denied``."""
    params = check_authorization_request(params)
    return _back_to_client(params, {"error": "access_denied"})


def _back_to_client(params: dict, answer: dict) -> str:
    if params.get("state"):
        answer["state"] = params["state"]
    separator = "&" if "?" in params["redirect_uri"] else "?"
    return params["redirect_uri"] + separator + urllib.parse.urlencode(answer)


def id_token_claims(issuer: str, grant: FakeProviderGrant, access_token: str) -> dict:
    now = int(time.time())
    claims = {
        **grant.claims,
        "iss": issuer,
        "aud": grant.client_id,
        "iat": now,
        "auth_time": now,
        "exp": now + int(ID_TOKEN_LIFETIME.total_seconds()),
        "at_hash": _at_hash(access_token),
    }
    if grant.nonce:
        claims["nonce"] = grant.nonce
    return claims


def token(issuer: str, params: dict, authorization: str) -> dict:
    """Redeem an authorisation code (once, with its PKCE verifier) for tokens."""
    if params.get("grant_type") != "authorization_code":
        raise ProviderError("unsupported_grant_type")
    client_id, secret = _client_credentials(params, authorization)
    if client_id != settings.MOTCUA_SSO_CLIENT_ID or not constant_time_compare(
        secret, settings.MOTCUA_SSO_CLIENT_SECRET
    ):
        raise ProviderError("invalid_client", status=401)
    with transaction.atomic():
        row = (
            FakeProviderGrant.objects.select_for_update()
            .filter(code_hash=_digest(params.get("code", "")))
            .first()
        )
        if row is None or row.used or row.expires_at <= timezone.now():
            raise ProviderError("invalid_grant", "unknown, used or expired code")
        row.used = True
        row.save(update_fields=["used"])
    if row.client_id != client_id or row.redirect_uri != params.get("redirect_uri"):
        raise ProviderError("invalid_grant", "the code was issued for another client")
    verifier = params.get("code_verifier", "")
    if not verifier or not constant_time_compare(_s256(verifier), row.code_challenge):
        raise ProviderError("invalid_grant", "PKCE verification failed")
    access_token = signing.dumps(row.claims, salt=_ACCESS_SALT)
    return {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": ACCESS_TOKEN_MAX_AGE,
        "id_token": sign(id_token_claims(issuer, row, access_token)),
    }


def userinfo(issuer: str, params: dict, authorization: str) -> dict:
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer":
        raise ProviderError("invalid_token", status=401)
    try:
        return signing.loads(value, salt=_ACCESS_SALT, max_age=ACCESS_TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise ProviderError("invalid_token", status=401) from None


#: The back-channel endpoints, by their path under the issuer.
ENDPOINTS = {
    "/.well-known/openid-configuration": discovery,
    "/jwks": jwks,
    "/token": token,
    "/userinfo": userinfo,
}


def answer(endpoint: str, issuer: str, params: dict, authorization: str) -> tuple[int, dict]:
    """Run one back-channel endpoint: its HTTP status and JSON body."""
    try:
        return 200, ENDPOINTS[endpoint](issuer, params, authorization)
    except ProviderError as error:
        return error.status, error.as_json()


def _client_credentials(params: dict, authorization: str) -> tuple[str, str]:
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value).decode()
        except ValueError:
            raise ProviderError("invalid_client", status=401) from None
        client_id, _, secret = decoded.partition(":")
        return urllib.parse.unquote_plus(client_id), urllib.parse.unquote_plus(secret)
    return params.get("client_id", ""), params.get("client_secret", "")


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _s256(verifier: str) -> str:
    return _b64(hashlib.sha256(verifier.encode()).digest())


def _at_hash(access_token: str) -> str:
    return _b64(hashlib.sha256(access_token.encode()).digest()[:16])


# --- The in-process back channel -----------------------------------------------------------


class InProcessAdapter(BaseAdapter):
    """A ``requests`` transport that answers the provider's back-channel endpoints by calling
    them directly, in this process and this database transaction."""

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        url = urllib.parse.urlsplit(request.url)
        issuer = f"{url.scheme}://{url.netloc}{base_path()}"
        prefix = base_path()
        endpoint = url.path[len(prefix) :] if url.path.startswith(prefix) else ""
        body = request.body or ""
        if isinstance(body, bytes):
            body = body.decode()
        params = dict(urllib.parse.parse_qsl(url.query)) | dict(urllib.parse.parse_qsl(body))
        if endpoint in ENDPOINTS:
            status, payload = answer(
                endpoint, issuer, params, request.headers.get("Authorization", "")
            )
        else:
            status, payload = 404, {"error": "not_found"}
        response = requests.Response()
        response.status_code = status
        response.headers = CaseInsensitiveDict({"Content-Type": "application/json"})
        response.raw = io.BytesIO(json.dumps(payload).encode())
        response.encoding = "utf-8"
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


class InProcessSession(OAuth2Session):
    """The OAuth client session whose requests to this site's provider never leave the process."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mount("http://", InProcessAdapter())
        self.mount("https://", InProcessAdapter())
