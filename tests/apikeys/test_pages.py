"""The system operator issues, follows and revokes keys in the back office (HG 11.4); no one
else sees these pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.apikeys import services
from motcua.apikeys.models import IntegrationKey, KeyCall
from motcua.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def operator_client(signed_in, operator):
    return signed_in(operator)


def test_the_operator_issues_a_key_and_sees_its_secret_once(operator_client, world):
    page = operator_client.get(reverse("apikeys:issue"))
    assert '<h1 id="issue-heading">Cấp khóa</h1>' in page.content.decode()
    response = operator_client.post(
        reverse("apikeys:issue"),
        {
            "name": "Nền tảng LGSP",
            "scopes": ["catalogue:read", "dossiers:read"],
            "agency": world.department.pk,
            "rate_per_minute": 120,
            "valid_until": "31/12/2027",
        },
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    key = IntegrationKey.objects.get()
    secret = response.context["secret"]
    assert secret.startswith(key.prefix + ".") and secret in response.content.decode()
    assert "khóa chỉ hiển thị một lần và không thể khôi phục" in response.content.decode()
    assert key.scopes == ["catalogue:read", "dossiers:read"] and key.rate_per_minute == 120
    # Valid through the last day, local time.
    assert timezone.localtime(key.expiry_date) == datetime(2028, 1, 1, tzinfo=HCM)
    assert AuditEntry.objects.filter(action="apikey.issue", target_id=key.prefix).exists()
    # The list and the key's page never show the secret again.
    listing = operator_client.get(reverse("apikeys:index")).content.decode()
    assert "Nền tảng LGSP" in listing and secret not in listing
    detail = operator_client.get(reverse("apikeys:detail", args=[key.prefix])).content.decode()
    assert secret not in detail and "Đang sử dụng" in detail


def test_a_key_that_reads_dossiers_needs_an_agency(operator_client):
    response = operator_client.post(
        reverse("apikeys:issue"),
        {"name": "LGSP", "scopes": ["dossiers:read"], "rate_per_minute": 60},
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert "id_agency-errors" in response.content.decode()
    assert "Khóa đọc hồ sơ phải thuộc về một cơ quan." in response.content.decode()
    assert not IntegrationKey.objects.exists()


def test_the_operator_revokes_a_key_and_follows_its_usage(operator_client, operator):
    client = Client()  # the integrating system, apart from the operator's session
    key, secret = services.issue(by=operator, name="LGSP", scopes=["catalogue:read"])
    client.get("/api/v1/fields/", HTTP_AUTHORIZATION=f"Api-Key {secret}")
    assert KeyCall.objects.filter(key=key).count() == 1
    detail = operator_client.get(reverse("apikeys:detail", args=[key.prefix])).content.decode()
    assert "/api/v1/fields/" in detail
    response = operator_client.post(reverse("apikeys:revoke", args=[key.prefix]))
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked and key.revoked_by == operator
    page = operator_client.get(response.url).content.decode()
    assert "Đã thu hồi khóa." in page and "Không thể hoàn tác" not in page
    assert client.get("/api/v1/fields/", HTTP_AUTHORIZATION=f"Api-Key {secret}").status_code == 401


def test_other_staff_and_anonymous_users_are_turned_away(client, signed_in, world, operator):
    key, _secret = services.issue(by=operator, name="LGSP", scopes=["lookup"])
    urls = [
        reverse("apikeys:index"),
        reverse("apikeys:issue"),
        reverse("apikeys:detail", args=[key.prefix]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the sign-in page
    for user in (world.leader, world.monitor):
        staff = signed_in(user)
        for url in urls:
            assert staff.get(url).status_code == 403
        assert staff.post(reverse("apikeys:revoke", args=[key.prefix])).status_code == 403
    key.refresh_from_db()
    assert not key.revoked
