"""Security headers and production settings (SPEC §3 item 25; TN 11: level-3 system)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import motcua
from motcua.operations import checks
from motcua.operations.security import DEFAULT_POLICY, header_value

SRC = Path(motcua.__file__).parent

#: Templates allowed an inline style: the in-process identity provider's page of the demo,
#: which a deployment refuses (identity.E001).
INLINE_STYLE_ALLOWED = {"identity/templates/identity/fake_authorize.html"}


@pytest.mark.parametrize("url", ["/", "/thu-tuc/", "/healthz", "/noi-bo/dang-nhap/"])
def test_every_page_carries_the_policy(client, db, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_the_policy_can_be_set(client, db, settings):
    settings.MOTCUA_CSP = {"default-src": ["'self'"], "img-src": ["'self'", "https://cdn.vn"]}
    assert header_value(settings.MOTCUA_CSP) == "default-src 'self'; img-src 'self' https://cdn.vn"
    assert header_value(DEFAULT_POLICY).startswith("default-src 'self'; script-src 'self'")


def test_the_api_documentation_pages_may_run_their_viewers(client, db):
    for url in ["/api/docs/", "/api/redoc/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "script-src 'self' 'unsafe-inline'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in client.get("/api/schema/")["Content-Security-Policy"]


def test_debug_error_pages_are_left_alone(client, db, settings):
    settings.DEBUG = True
    assert "Content-Security-Policy" not in client.get("/khong-co-trang-nay/")
    assert "Content-Security-Policy" in client.get("/healthz")


def _inline(text: str) -> list[str]:
    found = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", text)
    found += re.findall(r"<style\b", text)
    found += re.findall(r"\sstyle=\"", text)
    found += re.findall(r"\son[a-z]+=\"", text)
    return found


def test_no_template_needs_inline_scripts_or_styles():
    """Under the policy an inline script, style or handler would not run: none is written."""
    offenders = {}
    for template in SRC.glob("*/templates/**/*.html"):
        name = template.relative_to(SRC).as_posix()
        if found := _inline(template.read_text()):
            offenders[name] = found
    assert set(offenders) <= INLINE_STYLE_ALLOWED, offenders


@pytest.mark.parametrize(
    "url", ["/", "/thu-tuc/", "/tra-cuu/", "/noi-bo/dang-nhap/", "/tai-khoan/dang-nhap/"]
)
def test_rendered_pages_have_no_inline_code(client, db, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert _inline(response.content.decode()) == []


def _check_deploy(tmp_path, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MOTCUA_", "DJANGO_")) and key != "DATABASE_URL"
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "motcua.settings.prod",
        "MOTCUA_DATA_DIR": str(tmp_path),
        "MOTCUA_SECRET_KEY": "prod-dummy-5f2c9a7e1b4d8c3a6e0f9b2d7c4a1e8f3b6d9c2a5e7f0b3d",
        "MOTCUA_ALLOWED_HOSTS": "dichvucong.bacninh.gov.vn",
        "MOTCUA_SSO_PROVIDER": "oidc",
        "MOTCUA_SSO_ISSUER": "https://sso.dichvucong.gov.vn",
        "MOTCUA_SMS_BACKEND": "http",
        "MOTCUA_CLAMAV_ADDRESS": "unix:/run/clamav/clamd.ctl",
    } | env
    return subprocess.run(
        [sys.executable, "-m", "motcua", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_check(tmp_path):
    done = _check_deploy(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_unscanned_uploads_are_reported_by_the_deployment_check(tmp_path):
    done = _check_deploy(tmp_path, MOTCUA_CLAMAV_ADDRESS="")
    assert done.returncode != 0
    assert "operations.W001" in done.stderr


def test_the_security_middleware_is_required(settings):
    settings.MOTCUA_CLAMAV_ADDRESS = "127.0.0.1:3310"
    assert checks.operations_security(None) == []
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if not m.endswith("ContentSecurityPolicyMiddleware")
    ]
    assert [p.id for p in checks.operations_security(None)] == ["operations.E001"]
