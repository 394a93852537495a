"""Sign-in through the national public-service portal's SSO (HG 5.6, TN 5.5), walked against
the in-process provider: the whole redirect flow, and every answer that must not verify."""

import base64
import json
import time

import pytest
import requests
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import RSAKey

from motcua.accounts.models import Role, User
from motcua.identity import fake_provider
from motcua.identity.models import ExternalIdentity, FakeProviderGrant

from .conftest import signed_in_user

pytestmark = pytest.mark.django_db


def test_a_person_signs_in_and_lands_on_the_page_asked_for(client, sso):
    response = sso("0", next_url="/tra-cuu/")
    assert response.status_code == 302 and response["Location"] == "/tra-cuu/"
    user = signed_in_user(client)
    assert user.kind == User.Kind.CITIZEN
    assert user.personal_id == "027090001234"
    assert user.full_name == "Nguyễn Văn An"
    assert user.phone == "0912345678"
    assert not user.has_usable_password()
    link = ExternalIdentity.objects.get(user=user)
    assert link.subject == "cd-027090001234"
    assert link.issuer == "http://testserver/tai-khoan/sso-gia-lap"


def test_an_organisation_signs_in_with_its_business_account(client, sso):
    sso("3")
    user = signed_in_user(client)
    assert user.kind == User.Kind.ORGANISATION
    assert user.tax_code == "2300123456" and user.personal_id == ""
    assert user.full_name == "Công ty TNHH Thương mại Kinh Bắc"
    assert user.email == "lienhe@kinhbac.example.vn"


def test_typed_identities_map_by_their_identifier(client, sso):
    sso(data={"person": "other", "identifier": "042199002211", "full_name": "Bùi Thị Lan"})
    assert signed_in_user(client).kind == User.Kind.CITIZEN
    client.post(reverse("identity:sign_out"))
    sso(data={"person": "other", "identifier": "0101234567-001", "full_name": "Chi nhánh A"})
    organisation = signed_in_user(client)
    assert organisation.kind == User.Kind.ORGANISATION
    assert organisation.tax_code == "0101234567-001"


def test_the_provider_page_checks_what_is_typed(client):
    start = client.get(reverse("identity:sso_start"))
    page = start["Location"].replace("http://testserver", "")
    response = client.post(page, {"person": "other", "identifier": "123", "full_name": ""})
    assert response.status_code == 400
    text = response.content.decode()
    assert "12 chữ số" in text and "Vui lòng nhập họ và tên." in text
    assert not FakeProviderGrant.objects.exists()


def test_later_sign_ins_update_the_name_and_changed_contacts_only(client, sso, monkeypatch):
    sso("1")
    user = signed_in_user(client)
    assert user.email == "binh.tran@example.vn"
    user.email = "binh@gia-dinh.example.vn"  # edited on the profile page
    user.save()
    client.post(reverse("identity:sign_out"))
    changed = fake_provider.DemoIdentity(
        "Trần Thị Bình An",
        personal_id="027185005678",
        phone="0987000111",
        email="binh.tran@example.vn",
    )
    identities = list(fake_provider.DEMO_IDENTITIES)
    identities[1] = changed
    monkeypatch.setattr("motcua.identity.fake_views.DEMO_IDENTITIES", tuple(identities))
    sso("1")
    again = signed_in_user(client)
    assert again.pk == user.pk
    assert again.full_name == "Trần Thị Bình An"
    assert again.phone == "0987000111"  # changed at the national portal: taken over
    assert again.email == "binh@gia-dinh.example.vn"  # unchanged there: the local edit stays
    assert User.objects.filter(personal_id="027185005678").count() == 1


def test_the_account_the_desk_opened_is_the_one_found_online(client, sso):
    desk_account = User.objects.create(
        username="cd027090001234", kind=User.Kind.CITIZEN, personal_id="027090001234"
    )
    sso("0")
    assert signed_in_user(client).pk == desk_account.pk
    assert ExternalIdentity.objects.get().user == desk_account


def test_a_staff_account_is_never_merged(client, sso):
    staff = User.objects.create(
        username="canbo",
        kind=User.Kind.STAFF,
        role=Role.SPECIALIST,
        personal_id="027090001234",
    )
    response = sso("0")
    assert response.status_code == 400
    assert "tài khoản cán bộ" in response.content.decode()
    assert signed_in_user(client) is None
    assert not ExternalIdentity.objects.exists()
    staff.refresh_from_db()
    assert staff.kind == User.Kind.STAFF and staff.full_name == ""


def _refused(client, response, text="Không xác minh được phản hồi của Cổng Dịch vụ công quốc gia"):
    assert response.status_code == 400
    assert text in response.content.decode()
    assert signed_in_user(client) is None
    assert not User.objects.filter(kind__in=["citizen", "organisation"]).exists()


def test_a_state_that_does_not_match_is_refused(client, sso):
    response = sso("0", callback=lambda url: url.replace("state=", "state=x"))
    _refused(client, response, "Không xác nhận được lượt đăng nhập")


def test_a_callback_replayed_is_refused(client, sso):
    seen = []
    sso("0", callback=lambda url: seen.append(url) or url)
    client.post(reverse("identity:sign_out"))
    response = client.get(seen[0])
    assert response.status_code == 400
    assert signed_in_user(client) is None


def test_a_callback_in_another_browser_is_refused(client, sso, django_user_model):
    from django.test import Client

    seen = []
    sso("0", callback=lambda url: seen.append(url) or "/tai-khoan/dang-nhap/")
    other = Client()
    response = other.get(seen[0])
    assert response.status_code == 400
    assert "_auth_user_id" not in other.session


def _claims_changed(monkeypatch, **changes):
    original = fake_provider.id_token_claims

    def changed(issuer, grant, access_token):
        return {**original(issuer, grant, access_token), **changes}

    monkeypatch.setattr(fake_provider, "id_token_claims", changed)


def test_a_wrong_nonce_is_refused(client, sso, monkeypatch):
    _claims_changed(monkeypatch, nonce="another-nonce")
    _refused(client, sso("0"))


def test_an_expired_id_token_is_refused(client, sso, monkeypatch):
    now = int(time.time())
    _claims_changed(monkeypatch, iat=now - 3600, exp=now - 1800)
    _refused(client, sso("0"))


def test_an_id_token_for_another_client_is_refused(client, sso, monkeypatch):
    _claims_changed(monkeypatch, aud="another-client")
    _refused(client, sso("0"))


def test_an_id_token_from_another_issuer_is_refused(client, sso, monkeypatch):
    _claims_changed(monkeypatch, iss="https://sso.example.invalid")
    _refused(client, sso("0"))


def test_a_tampered_id_token_is_refused(client, sso, monkeypatch):
    original = fake_provider.sign

    def tampered(claims):
        header, payload, signature = original(claims).split(".")
        data = json.loads(base64.urlsafe_b64decode(payload + "=="))
        data["personal_id"] = "027185005678"  # someone else's identity, same signature
        forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
        return f"{header}.{forged}.{signature}"

    monkeypatch.setattr(fake_provider, "sign", tampered)
    _refused(client, sso("0"))


def test_an_id_token_signed_with_another_key_is_refused(client, sso, monkeypatch):
    stranger = RSAKey.generate_key(2048)

    def signed_elsewhere(claims):
        kid = fake_provider.signing_key().kid  # claims to be the provider's key
        return jwt.encode({"alg": "RS256", "kid": kid}, claims, stranger)

    monkeypatch.setattr(fake_provider, "sign", signed_elsewhere)
    _refused(client, sso("0"))


def test_an_unsigned_id_token_is_refused(client, sso, monkeypatch):
    def unsigned(claims):
        header = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
        body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return f"{header}.{body}."

    monkeypatch.setattr(fake_provider, "sign", unsigned)
    _refused(client, sso("0"))


def test_cancelling_at_the_provider_signs_nobody_in(client):
    start = client.get(reverse("identity:sso_start"))
    answer = client.post(start["Location"].replace("http://testserver", ""), {"cancel": "1"})
    assert "error=access_denied" in answer["Location"]
    response = client.get(answer["Location"].replace("http://testserver", ""))
    assert response.status_code == 400
    assert "Bạn đã hủy đăng nhập" in response.content.decode()
    assert signed_in_user(client) is None


def test_a_provider_that_cannot_be_reached_is_said_so(client, settings, monkeypatch):
    settings.MOTCUA_SSO_PROVIDER = "oidc"
    settings.MOTCUA_SSO_ISSUER = "https://sso.dichvucong.example.invalid"

    def down(self, request, **kwargs):
        raise requests.ConnectionError("refused")

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", down)
    response = client.get(reverse("identity:sso_start"))
    assert response.status_code == 503
    assert "không thể kết nối" in response.content.decode()


# --- The provider itself -------------------------------------------------------------------


def test_the_provider_publishes_discovery_and_keys(client):
    discovery = client.get("/tai-khoan/sso-gia-lap/.well-known/openid-configuration").json()
    assert discovery["issuer"] == "http://testserver/tai-khoan/sso-gia-lap"
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    keys = client.get("/tai-khoan/sso-gia-lap/jwks").json()["keys"]
    assert keys[0]["kty"] == "RSA" and "d" not in keys[0]  # the public half only
    assert client.get("/tai-khoan/sso-gia-lap/jwks").json() == {"keys": keys}  # kept


def test_the_provider_requires_pkce_and_redeems_a_code_once(client):
    start = client.get(reverse("identity:sso_start"))
    page = start["Location"].replace("http://testserver", "")
    back = client.post(page, {"person": "0"})["Location"]
    code = back.split("code=")[1].split("&")[0]
    redirect_uri = "http://testserver" + reverse("identity:oidc_callback")
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": "motcua",
        "client_secret": "",
        "code_verifier": "not-the-verifier",
    }
    refused = client.post("/tai-khoan/sso-gia-lap/token", form)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    again = client.post("/tai-khoan/sso-gia-lap/token", form)
    assert again.json()["error_description"] == "unknown, used or expired code"


def test_the_provider_refuses_a_request_without_pkce(client):
    response = client.get(
        "/tai-khoan/sso-gia-lap/uy-quyen/",
        {
            "response_type": "code",
            "client_id": "motcua",
            "redirect_uri": "http://testserver" + reverse("identity:oidc_callback"),
            "scope": "openid",
            "state": "s",
        },
    )
    assert response.status_code == 400


def test_the_provider_exists_only_while_it_is_in_use(client, settings):
    settings.MOTCUA_SSO_PROVIDER = "oidc"
    assert client.get("/tai-khoan/sso-gia-lap/jwks").status_code == 404
    assert client.get("/tai-khoan/sso-gia-lap/uy-quyen/").status_code == 404


def test_a_suspended_account_is_not_signed_in(client, sso):
    User.objects.create(
        username="cd027090001234",
        kind=User.Kind.CITIZEN,
        personal_id="027090001234",
        is_active=False,
    )
    response = sso("0")
    assert response.status_code == 400
    assert "Tài khoản này đang bị tạm khóa" in response.content.decode()
    assert signed_in_user(client) is None


def test_the_deploy_check_refuses_the_fake_provider(settings):
    from django.core.checks import run_checks

    ids = {problem.id for problem in run_checks(include_deployment_checks=True)}
    assert "identity.E001" in ids
    settings.MOTCUA_SSO_PROVIDER = "oidc"
    settings.MOTCUA_SSO_ISSUER = "https://sso.dichvucong.gov.vn"
    settings.MOTCUA_SMS_BACKEND = "http"
    ids = {problem.id for problem in run_checks(include_deployment_checks=True)}
    assert not {"identity.E001", "identity.E002", "identity.W001"} & ids
