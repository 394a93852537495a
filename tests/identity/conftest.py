"""Applicant sign-in: the fake national SSO walked with the test client, and phone codes
through the in-memory SMS backend."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from motcua.accounts.models import User
from motcua.notifications import sms


def local(url: str) -> str:
    """An absolute address on the test server as a path the test client can follow."""
    parts = urlsplit(url)
    assert parts.netloc in ("", "testserver"), url
    return parts.path + (f"?{parts.query}" if parts.query else "")


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


@pytest.fixture
def sso(client):
    """Walk the redirect flow: start, the provider's page, the callback.

    ``person`` is the demo identity picked on the provider's page (or ``data`` what is typed
    there); ``callback`` may rewrite the address the provider sends the browser back to.
    Returns the callback's response.
    """

    def walk(person="0", *, next_url="/tra-cuu/", data=None, callback=None):
        start = client.get(reverse("identity:sso_start"), {"next": next_url})
        assert start.status_code == 302, start.content
        authorize = local(start["Location"])
        assert authorize.startswith("/tai-khoan/sso-gia-lap/uy-quyen/?")
        answer = client.post(authorize, data or {"person": person})
        assert answer.status_code == 302, answer.content
        back = local(answer["Location"])
        if callback:
            back = callback(back)
        return client.get(back)

    return walk


@pytest.fixture
def sms_outbox(settings):
    settings.MOTCUA_SMS_BACKEND = "memory"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def phone_profile(settings, sms_outbox):
    """Vĩnh Phúc: local accounts signed in with a phone code (VP 10.1)."""
    settings.MOTCUA_PROFILE = "vinh-phuc"
    return settings


def last_code(outbox) -> str:
    return re.search(r"\b(\d{6})\b", outbox[-1].text).group(1)
