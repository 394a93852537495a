"""The statistics for machines (SPEC §3 items 18, 20): a ``reports:read`` key reads its
agency's sub-tree, or the province when it has none; staff read by the reports' reader
rule; bad input is a structured 400 that changes nothing."""

import pytest

from motcua.reports.models import Tally
from tests.dossiers.conftest import received

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/statistics/"
MARCH = {"month": "2026-03", "grouping": "agency"}


@pytest.fixture
def march(world):
    """Two permits received by the department in March 2026 (BN: 15 Feb – 14 Mar), one
    birth registration at the commune."""
    received(world)
    received(world)
    received(world, world.birth)
    return world


def test_a_province_key_reads_every_agency(client, march, issue):
    _key, headers = issue("reports:read")
    body = client.get(URL, MARCH, **headers).json()
    assert body["period"] == {"kind": "month", "first_day": "2026-02-15", "last_day": "2026-03-14"}
    assert body["agency"] is None
    figures = {row["label"]: row["figures"] for row in body["rows"]}
    assert figures["Sở Tư pháp"]["received_online"] == 2
    assert figures["UBND phường Kinh Bắc"]["received_online"] == 1
    assert body["total"]["received_total"] == 3
    assert body["total"]["in_progress"] == 3


def test_an_agency_key_reads_its_sub_tree_only(client, march, issue):
    _key, headers = issue("reports:read", agency=march.department)
    body = client.get(URL, MARCH, **headers).json()
    assert body["agency"] == march.department.code
    assert body["total"]["received_total"] == 2
    refused = client.get(URL, {**MARCH, "agency": march.commune.code}, **headers)
    assert refused.status_code == 403
    refused = client.get(URL, {**MARCH, "agency": "000.00.00.H06"}, **headers)
    assert refused.status_code == 403


def test_other_scopes_and_writes_are_refused(client, march, issue):
    _key, headers = issue("dossiers:read", agency=march.department)
    refused = client.get(URL, MARCH, **headers)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "scope_missing")
    _key, headers = issue("reports:read")
    assert client.post(URL, MARCH, **headers).status_code in (403, 405)
    assert client.get(URL, MARCH).status_code in (401, 403)


def test_staff_read_by_the_reader_rule(client, march):
    client.force_login(march.leader)
    body = client.get(URL, MARCH).json()
    assert body["agency"] == march.department.code and body["total"]["received_total"] == 2
    assert client.get(URL, {**MARCH, "agency": march.commune.code}).status_code == 403
    client.force_login(march.monitor)
    assert client.get(URL, MARCH).json()["total"]["received_total"] == 3
    client.force_login(march.specialist)
    assert client.get(URL, MARCH).status_code == 403


@pytest.mark.parametrize(
    "query, field",
    [
        ({"month": "2026-13"}, "month"),
        ({"month": "0000-01"}, "month"),
        ({"period": "week"}, "period"),
        ({"grouping": "officer"}, "grouping"),
    ],
)
def test_bad_input_is_a_structured_error(client, march, issue, query, field):
    _key, headers = issue("reports:read")
    before = list(Tally.objects.values())
    response = client.get(URL, query, **headers)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert list(Tally.objects.values()) == before
    assert client.get(URL, {"agency": "không-có"}, **headers).status_code == 404
