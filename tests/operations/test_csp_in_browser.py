"""The Content-Security-Policy in a real browser: pages render their styles and no part of
them is refused (SPEC §3 item 25)."""

import os

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(monkeypatch):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser.new_page()
        browser.close()


@pytest.mark.parametrize(
    "path", ["/", "/thu-tuc/", "/tra-cuu/", "/noi-bo/dang-nhap/", "/api/docs/", "/admin/login/"]
)
def test_nothing_is_refused_by_the_policy(page, live_server, path):
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    response = page.goto(live_server.url + path)
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert [m for m in refused if "Content Security Policy" in m] == []
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
