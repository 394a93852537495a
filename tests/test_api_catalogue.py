"""Public catalogue API and the OpenAPI document (SPEC §3 items 1, 20)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import AgencyFactory, ComponentFactory, FeeFactory, FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/procedures/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


def test_search_is_accent_and_case_insensitive(client):
    wanted = ProcedureFactory(name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ")
    ProcedureFactory(name="Đăng ký khai sinh")
    body = client.get("/api/v1/procedures/", {"q": "cap GIAY phep xay dung"}).json()
    assert [p["national_code"] for p in body["results"]] == [wanted.national_code]
    body = client.get("/api/v1/procedures/", {"q": "dang ky"}).json()
    assert [p["name"] for p in body["results"]] == ["Đăng ký khai sinh"]


def test_filters(client):
    field = FieldFactory(code="HT")
    commune = AgencyFactory(code="H06.01.05", level="commune")
    match = ProcedureFactory(
        field=field, level="commune", online_level="partial", agencies=[commune]
    )
    ProcedureFactory(field=field, level="province", online_level="partial")
    ProcedureFactory(level="commune", online_level="partial")
    query = {"field": "HT", "level": "commune", "online_level": "partial", "agency": "H06.01.05"}
    body = client.get("/api/v1/procedures/", query).json()
    assert [p["national_code"] for p in body["results"]] == [match.national_code]


def test_detail_lists_what_the_applicant_needs(client):
    procedure = ProcedureFactory(legal_basis="Luật Hộ tịch 2014\nNghị định 123/2015/NĐ-CP")
    FeeFactory(procedure=procedure, amount=8000)
    ComponentFactory(procedure=procedure, name="Tờ khai", formats=["pdf", "jpg"])
    body = client.get(f"/api/v1/procedures/{procedure.national_code}/").json()
    assert body["fees"] == [{"name": "Lệ phí", "amount": 8000, "note": ""}]
    assert body["components"][0]["formats"] == ["pdf", "jpg"]
    assert body["legal_basis"] == ["Luật Hộ tịch 2014", "Nghị định 123/2015/NĐ-CP"]
    assert body["agencies"][0]["code"] == procedure.agencies.get().code


def test_unknown_procedure_is_a_structured_404(client):
    response = client.get("/api/v1/procedures/9.999999/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_catalogue_is_read_only(client):
    response = client.post("/api/v1/procedures/", {"name": "x"})
    assert response.status_code in {403, 405}
    assert "error" in response.json()


def test_cursor_pagination(client):
    for _ in range(5):
        ProcedureFactory()
    first = client.get("/api/v1/procedures/", {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"]).json()
    codes = [p["national_code"] for p in first["results"] + second["results"]]
    assert codes == sorted(codes) and len(set(codes)) == 4


@pytest.mark.parametrize("path", ["/api/v1/procedures/", "/api/v1/agencies/", "/api/v1/fields/"])
def test_list_queries_do_not_grow_with_the_page(client, path):
    def count(n):
        for _ in range(n):
            ProcedureFactory(agencies=[AgencyFactory(parent=AgencyFactory())])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path, {"page_size": 50}).status_code == 200
        return len(queries)

    small = count(2)
    assert count(20) == small <= 3


def test_openapi_document_is_valid_and_warning_free(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/dossiers/{public_id}/actions/{action_name}/" in target.read_text()
