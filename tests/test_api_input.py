"""NUL characters in API input are a 400 on the field that carries them, not a server error:
PostgreSQL cannot store or compare text holding one (found by tests/api_fuzz)."""

import json

import pytest

from motcua.dossiers.models import Dossier
from tests.dossiers.conftest import received, world  # noqa: F401 — the shared small province


def error_fields(response):
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    return error["fields"]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/procedures/?q=gi%00y", "q"),
        ("/api/v1/procedures/?field=%00", "field"),
        ("/api/v1/procedures/?agency=%00", "agency"),
        ("/api/v1/agencies/?parent=%00", "parent"),
        ("/api/v1/fields/F%001/", "code"),
        ("/api/v1/lookup/H06%00/", "code"),
    ],
)
def test_a_nul_in_the_path_or_query_is_refused(client, world, url, field):  # noqa: F811
    fields = error_fields(client.get(url))
    assert fields == {field: ["Văn bản không được chứa ký tự NUL."]}


def test_a_nul_in_a_body_is_refused_and_writes_nothing(client, world):  # noqa: F811
    client.force_login(world.citizen)
    before = Dossier.objects.count()
    for body, field in [
        ({"procedure": "1.000001\x00"}, "procedure"),
        ({"procedure": "1.000001", "form_data": {"full_name": "An\x00"}}, "form_data"),
        ({"procedure": "1.000001", "form_data": {"\x00": "An"}}, "form_data"),
    ]:
        response = client.post("/api/v1/dossiers/", json.dumps(body), "application/json")
        assert field in error_fields(response)
    assert Dossier.objects.count() == before


def test_a_nul_in_an_action_is_refused(client, world):  # noqa: F811
    dossier = received(world)
    client.force_login(world.desk_officer)
    response = client.post(
        f"/api/v1/dossiers/{dossier.public_id}/actions/request_supplement/",
        json.dumps({"items": ["Bản sao\x00"], "apology_signer": "giamdoc\x00"}),
        "application/json",
    )
    assert set(error_fields(response)) == {"items", "apology_signer"}
    dossier.refresh_from_db()
    assert dossier.status == "processing"
