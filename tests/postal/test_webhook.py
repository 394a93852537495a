"""The postal service's status notices (SPEC §3 item 15): signed with the shared secret,
recorded once per notice, the status moving only forward."""

import json
import time

import pytest
from django.utils import timezone

from motcua.dossiers import services
from motcua.postal.adapters import signature
from motcua.postal.models import Shipment, ShipmentEvent
from motcua.postal.services import NOTICE_TOLERANCE

from .conftest import WEBHOOK_SECRET
from .test_booking import sweep_until_settled

URL = "/buu-chinh/thong-bao/"


@pytest.fixture
def booked(ready, world):
    dossier = services.return_result(ready(), world.desk_officer, method="post")
    sweep_until_settled()
    return Shipment.objects.get(dossier=dossier)


def notice(shipment, status="in_transit", notice_id="VNP-1", **extra):
    return {
        "notice_id": notice_id,
        "tracking_number": shipment.tracking_number,
        "status": status,
        "at": timezone.now().isoformat(),
        "location": "Bưu cục Kinh Bắc",
        **extra,
    }


def send(client, data, *, secret=WEBHOOK_SECRET, timestamp=None, body=None):
    body = body if body is not None else json.dumps(data, ensure_ascii=False).encode()
    timestamp = timestamp or str(int(time.time()))
    return client.generic(
        "POST",
        URL,
        body,
        content_type="application/json",
        headers={"X-Timestamp": timestamp, "X-Signature": signature(secret, timestamp, body)},
    )


def test_a_signed_notice_moves_the_shipment_on(client, booked):
    response = send(client, notice(booked))
    assert response.status_code == 200, response.content
    assert response.json() == {
        "tracking_number": booked.tracking_number,
        "status": "in_transit",
        "recorded": True,
    }
    booked.refresh_from_db()
    assert booked.status == "in_transit"
    event = booked.events.last()
    assert (event.status, event.location, event.notice_id) == (
        "in_transit",
        "Bưu cục Kinh Bắc",
        "VNP-1",
    )
    assert send(client, notice(booked, "delivered", "VNP-2")).json()["status"] == "delivered"


def test_a_repeated_notice_is_recorded_once(client, booked):
    first = send(client, notice(booked, "delivered"))
    again = send(client, notice(booked, "delivered"))
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["recorded"] is False
    assert booked.events.filter(notice_id="VNP-1").count() == 1


def test_the_status_never_goes_back(client, booked):
    send(client, notice(booked, "delivered", "VNP-2"))
    late = send(client, notice(booked, "in_transit", "VNP-1"))
    assert late.json() == {
        "tracking_number": booked.tracking_number,
        "status": "delivered",
        "recorded": True,
    }
    booked.refresh_from_db()
    assert booked.status == "delivered"
    assert [e.status for e in booked.events.order_by("id")] == ["booked", "delivered", "in_transit"]


@pytest.mark.parametrize(
    "forge",
    [
        {"secret": "đoán-bừa"},
        {"timestamp": str(int(time.time()) - NOTICE_TOLERANCE - 60)},
        {"timestamp": "hôm-qua"},
    ],
)
def test_an_unsigned_or_stale_notice_changes_nothing(client, booked, forge):
    response = send(client, notice(booked, "delivered"), **forge)
    assert response.status_code == 401
    booked.refresh_from_db()
    assert booked.status == "booked" and booked.events.count() == 1


def test_without_a_secret_nothing_is_accepted(client, booked, settings):
    settings.MOTCUA_POSTAL_WEBHOOK_SECRET = ""
    assert send(client, notice(booked), secret="").status_code == 401
    assert not ShipmentEvent.objects.filter(notice_id="VNP-1").exists()


def test_a_tampered_body_is_refused(client, booked):
    timestamp = str(int(time.time()))
    signed = json.dumps(notice(booked, "in_transit")).encode()
    tampered = json.dumps(notice(booked, "returned")).encode()
    response = client.generic(
        "POST",
        URL,
        tampered,
        content_type="application/json",
        headers={
            "X-Timestamp": timestamp,
            "X-Signature": signature(WEBHOOK_SECRET, timestamp, signed),
        },
    )
    assert response.status_code == 401
    booked.refresh_from_db()
    assert booked.status == "booked"


def test_bad_notices_are_answered_and_change_nothing(client, booked):
    assert send(client, None, body=b"not json").status_code == 400
    assert send(client, notice(booked, "lost")).status_code == 400
    assert send(client, notice(booked, at="hôm qua")).status_code == 400
    unknown = send(client, notice(booked, tracking_number="EB999999999VN"))
    assert unknown.status_code == 404
    booked.refresh_from_db()
    assert booked.status == "booked" and booked.events.count() == 1


def test_only_post_and_no_csrf_token_needed(booked):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert client.get(URL).status_code == 405
    assert send(client, notice(booked)).status_code == 200
