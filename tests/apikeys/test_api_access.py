"""Integrating systems call the API with a key: scopes, expiry, revocation, per-key limits,
every call logged and the operator alerted on abuse (SPEC §3 item 21; HG 11.1–11.3)."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.apikeys import services
from motcua.apikeys.models import IntegrationKey, KeyAlert, KeyCall
from motcua.audit.models import AuditEntry
from motcua.outbox.models import OutboxMessage
from tests.dossiers.conftest import received

pytestmark = pytest.mark.django_db


def error_of(response):
    return response.json()["error"]["code"]


def test_a_key_reads_what_its_scopes_allow(client, world, issue):
    dossier = received(world)
    _key, catalogue = issue("catalogue:read")
    assert client.get("/api/v1/procedures/", **catalogue).status_code == 200
    refused = client.get(f"/api/v1/lookup/{dossier.code}/", **catalogue)
    assert (refused.status_code, error_of(refused)) == (403, "scope_missing")
    assert (
        refused.json()["error"]["message"]
        == "Khóa API này không có phạm vi truy cập điểm cuối này."
    )
    _key, lookup = issue("lookup")
    assert client.get(f"/api/v1/lookup/{dossier.code}/", **lookup).json()["code"] == dossier.code
    refused = client.get("/api/v1/procedures/", **lookup)
    assert (refused.status_code, error_of(refused)) == (403, "scope_missing")
    assert client.get("/api/v1/dossiers/", **lookup).status_code == 403


def test_a_dossiers_key_reads_its_agencys_dossiers_only_and_writes_nothing(client, world, issue):
    dossier = received(world)  # the department's procedure
    key, department = issue("dossiers:read", agency=world.department)
    listed = client.get("/api/v1/dossiers/", **department).json()["results"]
    assert [d["id"] for d in listed] == [str(dossier.public_id)]
    detail = client.get(f"/api/v1/dossiers/{dossier.public_id}/", **department)
    assert detail.status_code == 200
    (read,) = AuditEntry.objects.filter(action="api.dossier.read")
    assert (read.actor_id, read.actor_label) == (None, f"LGSP [{key.prefix}]")
    history = client.get(f"/api/v1/dossiers/{dossier.public_id}/history/", **department)
    assert history.status_code == 200
    _key, commune = issue("dossiers:read", agency=world.commune)
    assert client.get("/api/v1/dossiers/", **commune).json()["results"] == []
    assert client.get(f"/api/v1/dossiers/{dossier.public_id}/", **commune).status_code == 404
    refused = client.post(
        f"/api/v1/dossiers/{dossier.public_id}/actions/complete/",
        {},
        content_type="application/json",
        **department,
    )
    assert refused.status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == "processing"


def test_without_a_key_the_public_endpoints_stay_open(client, world):
    assert client.get("/api/v1/procedures/").status_code == 200
    assert client.get("/api/v1/dossiers/").status_code in (401, 403)


@pytest.mark.parametrize(
    ("spoil", "code", "message"),
    [
        (
            lambda key: services.revoke(key, by=key.issued_by),
            "key_revoked",
            "Khóa API đã bị thu hồi.",
        ),
        (
            lambda key: IntegrationKey.objects.filter(pk=key.pk).update(
                expiry_date=timezone.now() - timedelta(seconds=1)
            ),
            "key_expired",
            "Khóa API đã hết hạn.",
        ),
    ],
)
def test_revoked_and_expired_keys_are_refused_with_a_structured_error(
    client, world, issue, spoil, code, message
):
    key, headers = issue("catalogue:read")
    spoil(key)
    response = client.get("/api/v1/procedures/", **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert error_of(response) == code
    assert response.json()["error"]["message"] == message
    # The refused call is logged against the key (HG 11.1).
    assert KeyCall.objects.get(key=key).status == 401


def test_an_unknown_or_forged_key_is_refused(client, world, issue):
    key, _headers = issue("catalogue:read")
    for secret in ("nope", f"{key.prefix}.forged-secret"):
        response = client.get("/api/v1/procedures/", HTTP_AUTHORIZATION=f"Api-Key {secret}")
        assert (response.status_code, error_of(response)) == (401, "key_invalid")
        assert response.json()["error"]["message"] == "Khóa API không hợp lệ."
    assert not KeyCall.objects.exists()


def test_only_a_hash_of_the_secret_is_stored(issue):
    key, headers = issue("lookup")
    secret = headers["HTTP_AUTHORIZATION"].split(" ", 1)[1]
    stored = IntegrationKey.objects.get(pk=key.pk)
    assert secret.startswith(stored.prefix + ".")
    assert secret not in (stored.pk, stored.hashed_key)


def test_every_call_is_logged(client, world, issue):
    key, headers = issue("catalogue:read", "lookup")
    client.get("/api/v1/procedures/", **headers)
    client.get("/api/v1/lookup/NO-SUCH-CODE/", **headers)
    calls = list(KeyCall.objects.filter(key=key).order_by("at"))
    assert [(c.method, c.endpoint, c.status) for c in calls] == [
        ("GET", "/api/v1/procedures/", 200),
        ("GET", "/api/v1/lookup/NO-SUCH-CODE/", 404),
    ]
    assert all(c.latency_ms >= 0 for c in calls)


def test_each_key_has_its_own_limit_and_going_over_alerts_once(client, world, issue, caplog):
    key, headers = issue("catalogue:read", rate_per_minute=3)
    _other, other_headers = issue("catalogue:read", rate_per_minute=3)
    with caplog.at_level(logging.WARNING, logger="motcua.apikeys.services"):
        codes = [client.get("/api/v1/fields/", **headers).status_code for _ in range(6)]
    assert codes == [200, 200, 200, 429, 429, 429]
    throttled = client.get("/api/v1/fields/", **headers)
    assert error_of(throttled) == "throttled" and "Retry-After" in throttled
    assert client.get("/api/v1/fields/", **other_headers).status_code == 200
    assert KeyCall.objects.filter(key=key, status=429).count() == 4
    # One alert for the window, however many refusals (HG 11.1: abuse is detected).
    assert KeyAlert.objects.filter(key=key).count() == 1
    (message,) = OutboxMessage.objects.filter(topic="notify.operator")
    assert message.payload["key"] == key.prefix
    assert message.payload["kind"] == "apikey.over_limit"
    warnings = [r for r in caplog.records if "went over its limit" in r.getMessage()]
    assert len(warnings) == 1


def test_a_new_window_alerts_again(issue, settings):
    settings.MOTCUA_APIKEY_ALERT_WINDOW = 3600
    key, _headers = issue("lookup")
    now = timezone.now()
    assert services.raise_alert(key, at=now)
    assert not services.raise_alert(key, at=now)
    assert services.raise_alert(key, at=now + timedelta(hours=1))
    assert KeyAlert.objects.filter(key=key).count() == 2
    assert OutboxMessage.objects.filter(topic="notify.operator").count() == 2


def test_a_key_without_a_limit_per_ip_passes_the_public_lookup_limit(
    client, world, issue, monkeypatch
):
    """The public lookup's per-address limit does not apply to a key, which has its own."""
    from motcua.api.dossiers import LookupThrottle

    monkeypatch.setattr(LookupThrottle, "THROTTLE_RATES", {"lookup": "2/minute"})
    _key, headers = issue("lookup", rate_per_minute=100)
    codes = [client.get("/api/v1/lookup/X-1/", **headers).status_code for _ in range(4)]
    assert codes == [404, 404, 404, 404]


def test_the_operators_are_emailed_the_alert(issue, world):
    from django.core import mail

    from motcua.accounts.models import Role, User
    from motcua.outbox.delivery import deliver_pending

    User.objects.create(
        username="vanhanh.canhbao",
        kind=User.Kind.STAFF,
        role=Role.SYSTEM_OPERATOR,
        agency=world.province,
        email="vanhanh@example.vn",
    )
    key, _headers = issue("lookup")
    assert services.raise_alert(key)
    deliver_pending()
    (email,) = mail.outbox
    assert email.to == ["vanhanh@example.vn"]
    assert f"({key.prefix}) vượt giới hạn" in email.body and "HG 11.3" in email.body


def test_a_call_whose_path_holds_a_nul_is_logged_not_a_server_error(client, world, issue):
    key, headers = issue("lookup")
    response = client.get("/api/v1/lookup/a%00b/", **headers)
    assert response.status_code in (400, 404)
    (call,) = KeyCall.objects.filter(key=key)
    assert call.endpoint == "/api/v1/lookup/a\\x00b/"
