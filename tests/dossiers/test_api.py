"""Dossier API: public lookup, create/submit/act, history, errors (SPEC §3 items 4, 20)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.api.dossiers import LookupThrottle
from motcua.dossiers.models import Dossier, DossierEvent

from .conftest import received


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_public_lookup_shows_status_and_dates_only(client, world):
    dossier = received(world)
    body = client.get(f"/api/v1/lookup/{dossier.code}/").json()
    assert body["code"] == dossier.code
    assert body["status"] == "processing"
    assert body["due_at"].startswith("2026-03-09T10:00:00")
    text = json.dumps(body, ensure_ascii=False)
    for private in ("Nguyễn Văn An", "027090001234", "congdan1", "form_data"):
        assert private not in text


def test_lookup_of_an_unknown_code_is_a_structured_404(client, world):
    response = client.get("/api/v1/lookup/000.00.15.H06-260302-9999/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_lookup_is_rate_limited(client, world, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(LookupThrottle, "THROTTLE_RATES", {"lookup": "3/minute"})
    codes = [client.get("/api/v1/lookup/X-1/").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    assert client.get("/api/v1/lookup/X-1/").json()["error"]["code"] == "throttled"
    cache.clear()


def test_applicant_creates_submits_and_reads_history(client, world):
    client.force_login(world.citizen)
    created = post(client, "/api/v1/dossiers/", {"procedure": "1.000001", "form_data": world.form})
    assert created.status_code == 201, created.content
    dossier_id = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["code"] is None
    submitted = post(client, f"/api/v1/dossiers/{dossier_id}/actions/submit/")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["code"].startswith("000.00.15.H06-")
    history = client.get(f"/api/v1/dossiers/{dossier_id}/history/").json()
    assert [e["action"] for e in history] == ["submit"]
    assert history[0]["actor"] == "applicant"


def test_bad_input_is_a_clear_400_and_writes_nothing(client, world):
    client.force_login(world.citizen)
    before = (Dossier.objects.count(), DossierEvent.objects.count())
    response = post(client, "/api/v1/dossiers/", {"procedure": "9.999999"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "procedure" in response.json()["error"]["fields"]
    response = client.post("/api/v1/dossiers/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    draft = post(
        client, "/api/v1/dossiers/", {"procedure": "1.000001", "form_data": {"full_name": ""}}
    ).json()
    response = post(client, f"/api/v1/dossiers/{draft['id']}/actions/submit/")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "form_invalid"
    assert set(error["fields"]) == {"full_name", "id_number"}
    assert (Dossier.objects.count() - 1, DossierEvent.objects.count()) == before


def test_refusals_carry_stable_codes(client, world):
    dossier = received(world)
    client.force_login(world.citizen)
    response = post(client, f"/api/v1/dossiers/{dossier.public_id}/actions/resubmit/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "transition_not_allowed"
    response = post(client, f"/api/v1/dossiers/{dossier.public_id}/actions/teleport/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_action"
    client.force_login(world.leader)
    response = post(
        client, f"/api/v1/dossiers/{dossier.public_id}/actions/extend/", {"reason": "Xin lỗi"}
    )
    assert response.status_code == 400
    assert "new_due_at" in response.json()["error"]["fields"]
    client.force_login(world.unit_leader)
    response = post(client, f"/api/v1/dossiers/{dossier.public_id}/actions/forward/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_staff_act_through_the_api(client, world):
    dossier = received(world)
    client.force_login(world.specialist)
    response = post(
        client, f"/api/v1/dossiers/{dossier.public_id}/actions/forward/", {"reason": "Đủ điều kiện"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["current_step"] == 3
    assert response.json()["progress"] == "overdue"  # due 9 March 2026, long past


def test_others_dossiers_are_404(client, world):
    dossier = received(world)
    client.force_login(world.other_citizen)
    assert client.get(f"/api/v1/dossiers/{dossier.public_id}/").status_code == 404
    response = post(client, f"/api/v1/dossiers/{dossier.public_id}/actions/withdraw/")
    assert response.status_code == 404
    client.force_login(world.commune_officer)
    assert client.get(f"/api/v1/dossiers/{dossier.public_id}/").status_code == 404
    client.force_login(world.monitor)
    assert client.get(f"/api/v1/dossiers/{dossier.public_id}/").status_code == 200


def test_anonymous_users_cannot_list_dossiers(client, world):
    response = client.get("/api/v1/dossiers/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize("who", ["citizen", "leader", "monitor"])
def test_dossier_list_queries_do_not_grow_with_the_page(client, world, who):
    client.force_login(getattr(world, who))

    def count(n):
        for _ in range(n):
            received(world)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/dossiers/", {"page_size": 50})
        assert response.status_code == 200
        return len(queries), len(response.json()["results"])

    small, rows = count(2)
    large, more = count(15)
    assert (rows, more) == (2, 17)
    assert large == small <= 12
