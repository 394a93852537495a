"""The production client: signed requests, retries with backoff only for calls safe to
repeat, every failure one exception type."""

import pytest

from motcua.nationalportal.adapters import HttpNationalPortal, NationalPortalError, signature


@pytest.fixture
def client(portal):
    waits = []
    client = HttpNationalPortal(
        portal.url, portal.client_id, portal.secret, timeout=0.25, retries=3, backoff=0.5
    )
    client.sleep = waits.append
    client.waits = waits
    return client


def test_requests_are_signed_over_method_path_timestamp_and_body():
    one = signature("s", "POST", "/dossier-status", "1700000000", b"{}")
    assert one != signature("s", "POST", "/dossier-status", "1700000001", b"{}")
    assert one != signature("s", "POST", "/dossier-status", "1700000000", b"{ }")
    assert one != signature("t", "POST", "/dossier-status", "1700000000", b"{}")


def test_a_read_is_retried_with_exponential_backoff(client, portal):
    portal.fail("error", "timeout", "error")
    assert client.fetch_procedures(["1.000001"]) == {}
    assert client.waits == [0.5, 1.0, 2.0]
    assert len(portal.received) == 4


def test_a_call_without_an_idempotency_key_is_tried_once(client, portal):
    portal.fail("error")
    with pytest.raises(NationalPortalError) as failure:
        client._call("POST", "/dossiers/ack", body={"accepted": [], "rejected": []})
    assert failure.value.reason == "peer_error" and failure.value.status == 500
    assert len(portal.received) == 1 and client.waits == []


def test_giving_up_raises_the_last_failure(client, portal):
    portal.fail("timeout", "timeout", "timeout", "timeout")
    with pytest.raises(NationalPortalError) as failure:
        client.fetch_dossiers(["1.000001"])
    assert failure.value.reason == "timeout" and not failure.value.permanent


def test_an_unreachable_portal_is_a_portal_error(portal):
    client = HttpNationalPortal("http://127.0.0.1:9", "c", "s", timeout=0.25, retries=0)
    with pytest.raises(NationalPortalError) as failure:
        client.fetch_procedures(["1.000001"])
    assert failure.value.reason in {"unreachable", "timeout"}
