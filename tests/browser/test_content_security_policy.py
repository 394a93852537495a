"""The Content-Security-Policy in a real browser: pages render their styles and no part of
them is refused (SPEC §3 item 25)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


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
