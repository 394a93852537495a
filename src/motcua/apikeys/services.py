"""Issuing, revoking and checking API keys, logging their calls and alerting the operator
when a key goes over its limit (SPEC §3 item 21; HG 11.1–11.4: every access recorded to
detect abuse, a maximum of calls per key and period, keys managed by the system operator)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.audit.services import record
from motcua.dossiers.models import Dossier, Status
from motcua.outbox.services import Message, enqueue
from motcua.population.services import subtree_ids

from .models import IntegrationKey, KeyAlert, KeyCall, Scope

logger = logging.getLogger(__name__)


def require_operator(user) -> None:
    """Keys are the system operator's to manage (HG 11.4)."""
    if getattr(user, "role", None) != Role.SYSTEM_OPERATOR or not user.is_active:
        raise PermissionDenied


def _audited(key: IntegrationKey) -> str:
    """A key in the audit log: by its prefix (its primary key holds the secret's hash)."""
    return f"apikeys.integrationkey:{key.prefix}"


def issue(
    *,
    by,
    name: str,
    scopes: list[str],
    agency=None,
    rate_per_minute: int = 60,
    expires_at: datetime | None = None,
) -> tuple[IntegrationKey, str]:
    """A new key and its secret; the secret is not kept and cannot be shown again."""
    require_operator(by)
    errors = {}
    if not scopes or not set(scopes) <= set(Scope.values):
        errors["scopes"] = [_("Choose at least one scope.")]
    if Scope.DOSSIERS_READ in scopes and agency is None:
        errors["agency"] = [_("A key that reads dossiers belongs to one agency.")]
    if rate_per_minute < 1:
        errors["rate_per_minute"] = [_("Allow at least one call per minute.")]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = [_("The expiry must be in the future.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        key, secret = IntegrationKey.objects.create_key(
            name=name.strip()[:50],
            scopes=sorted(scopes),
            agency=agency,
            rate_per_minute=rate_per_minute,
            expiry_date=expires_at,
            issued_by=by,
        )
        record(by, "apikey.issue", _audited(key), {"name": key.name, "scopes": key.scopes})
    return key, secret


def revoke(key: IntegrationKey, *, by) -> IntegrationKey:
    """Revoke a key for good (revocation cannot be undone); revoking twice changes nothing."""
    require_operator(by)
    with transaction.atomic():
        key = IntegrationKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked:
            return key
        key.revoked, key.revoked_at, key.revoked_by = True, timezone.now(), by
        key.save(update_fields=["revoked", "revoked_at", "revoked_by"])
        record(by, "apikey.revoke", _audited(key), {"name": key.name})
    return key


class KeyRefused(Exception):
    """A key that cannot be used; ``code`` says why, and ``key`` is the key when known."""

    def __init__(self, code: str, message: str, key: IntegrationKey | None = None):
        super().__init__(message)
        self.code, self.message, self.key = code, message, key


def check(secret: str) -> IntegrationKey:
    """The usable key of ``secret``, or :class:`KeyRefused`."""
    prefix, _dot, _rest = secret.partition(".")
    key = IntegrationKey.objects.filter(prefix=prefix).first()
    if key is None or not key.is_valid(secret):
        raise KeyRefused("key_invalid", _("The API key is not valid."))
    if key.revoked:
        raise KeyRefused("key_revoked", _("The API key has been revoked."), key)
    if key.has_expired:
        raise KeyRefused("key_expired", _("The API key has expired."), key)
    return key


def key_dossiers(key: IntegrationKey):
    """What a ``dossiers:read`` key reads: the submitted dossiers of its agency and units."""
    if key.agency_id is None:
        return Dossier.objects.none()
    return Dossier.objects.filter(agency_id__in=subtree_ids(key.agency)).exclude(
        status=Status.DRAFT
    )


def log_call(key: IntegrationKey, *, method: str, endpoint: str, status: int, latency_ms: int):
    """Record one call (HG 11.1), whatever bytes its path held (PostgreSQL text takes no NUL)."""
    return KeyCall.objects.create(
        key=key,
        at=timezone.now(),
        method=method[:8],
        endpoint=endpoint.replace("\x00", "\\x00")[:255],
        status=status,
        latency_ms=max(latency_ms, 0),
    )


def alert_window(at: datetime) -> datetime:
    """Start of the alert window holding ``at`` (``MOTCUA_APIKEY_ALERT_WINDOW`` seconds)."""
    seconds = settings.MOTCUA_APIKEY_ALERT_WINDOW
    return datetime.fromtimestamp(at.timestamp() // seconds * seconds, tz=at.tzinfo)


def raise_alert(key: IntegrationKey, *, at: datetime | None = None) -> bool:
    """Tell the operator that ``key`` went over its limit: a ``notify.operator`` message
    and a warning in the log, once per key and alert window. True if this call raised it."""
    window = alert_window(at or timezone.now())
    try:
        with transaction.atomic():
            KeyAlert.objects.create(key=key, window_start=window)
            enqueue(
                Message(
                    "notify.operator",
                    f"apikey-alert:{key.prefix}:{window.isoformat()}",
                    {
                        "kind": "apikey.over_limit",
                        "key": key.prefix,
                        "name": key.name,
                        "limit_per_minute": key.rate_per_minute,
                        "window_start": window.isoformat(),
                    },
                )
            )
    except IntegrityError:
        return False
    logger.warning(
        "API key %s (%s) went over its limit of %d calls per minute",
        key.prefix,
        key.name,
        key.rate_per_minute,
    )
    return True


@dataclass(frozen=True)
class Usage:
    calls: int
    refused: int
    throttled: int
    errors: int
    endpoints: list[dict]


def usage(key: IntegrationKey, *, days: int = 7) -> Usage:
    """The key's calls over the last ``days`` days."""
    calls = KeyCall.objects.filter(key=key, at__gte=timezone.now() - timedelta(days=days))
    totals = calls.aggregate(
        calls=Count("id"),
        refused=Count("id", filter=Q(status__in=[401, 403])),
        throttled=Count("id", filter=Q(status=429)),
        errors=Count("id", filter=Q(status__gte=500)),
    )
    endpoints = list(
        calls.values("method", "endpoint").annotate(count=Count("id")).order_by("-count")[:20]
    )
    return Usage(endpoints=endpoints, **totals)
