"""The service index pages: who may see which agency (SPEC §2 "Access": province monitors
see all; an agency leader their own agency and its sub-tree), the dossiers behind each number
as many as the number, and no more personal data than the back-office queue shows."""

import pytest
from django.urls import reverse

from motcua.reports import index766

from .fixtures_index import APRIL, build_history

pytestmark = pytest.mark.urls("tests.reports.urls_index")
MONTH = {"month": "2026-04"}


@pytest.fixture
def history(world):
    return build_history(world)


def test_only_signed_in_staff_reach_the_index(client, world):
    response = client.get(reverse("reports_index:dashboard"))
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["specialist", "desk_officer", "clerk", "unit_leader"])
def test_other_roles_are_turned_away(signed_in, world, who):
    client = signed_in(getattr(world, who))
    for url in (
        reverse("reports_index:dashboard"),
        reverse("reports_index:province"),
        reverse("reports_index:agency", args=[world.department.pk]),
        reverse("reports_index:dossiers", args=["2.1", "denominator"]),
    ):
        assert client.get(url).status_code == 403, url


def test_the_monitor_sees_the_province_every_agency_and_the_ranking(signed_in, history):
    client = signed_in(history.monitor)
    dashboard = client.get(reverse("reports_index:dashboard"), MONTH)
    assert dashboard.status_code == 200
    assert dashboard.context["agency"] is None
    assert dashboard.content.count(b"<svg") == 4
    province = client.get(reverse("reports_index:province"), MONTH)
    ranked = province.context["ranking"]
    assert [i.agency for i in ranked] == [i.agency for i in index766.ranking(APRIL)]
    assert ranked[0].percent >= ranked[1].percent
    content = province.content.decode()
    positions = [content.index(f">{i.agency.name}</a>") for i in ranked]
    assert positions == sorted(positions)
    for agency in (history.department, history.commune, history.police):
        page = client.get(reverse("reports_index:agency", args=[agency.pk]), MONTH)
        assert page.status_code == 200
        assert page.context["index"].agency == agency


def test_an_agency_leader_sees_their_own_sub_tree_only(signed_in, history):
    client = signed_in(history.leader)
    dashboard = client.get(reverse("reports_index:dashboard"), MONTH)
    assert dashboard.status_code == 200
    assert dashboard.context["agency"] == history.department
    assert [row["label"] for row in dashboard.context["late_rows"]] == ["Sở Tư pháp"]
    unit = client.get(reverse("reports_index:dashboard"), {**MONTH, "agency": history.unit.pk})
    assert unit.status_code == 200
    assert client.get(reverse("reports_index:province")).status_code == 403
    commune = {**MONTH, "agency": history.commune.pk}
    assert client.get(reverse("reports_index:dashboard"), commune).status_code == 403
    url = reverse("reports_index:dossiers", args=["2.1", "shortfall"])
    assert client.get(url, commune).status_code == 403
    assert client.get(reverse("reports_index:agency", args=[history.commune.pk])).status_code == 403
    assert client.get(reverse("reports_index:dashboard"), {"agency": "x"}).status_code == 404


def test_each_listed_number_opens_as_many_dossiers(signed_in, history):
    client = signed_in(history.monitor)
    index = index766.compute(APRIL)
    for score in index.scores:
        indicator = score.indicator
        if not indicator.lists_dossiers or score.numerator is None:
            continue
        for part, number in (("numerator", score.numerator), ("denominator", score.denominator)):
            page = client.get(reverse("reports_index:dossiers", args=[indicator.code, part]), MONTH)
            assert page.status_code == 200
            if page.context["complete"]:
                assert page.context["page"].paginator.count == number, (indicator.code, part)
    # April is closed: its late dossiers are listed; those open at its end are not.
    late = client.get(reverse("reports_index:dossiers", args=["2.1", "shortfall"]), MONTH)
    assert [d.pk for d in late.context["page"]] == [history.b.pk]
    assert not late.context["complete"]


def test_the_dashboard_links_each_number_to_its_dossiers(signed_in, history):
    client = signed_in(history.monitor)
    content = client.get(reverse("reports_index:dashboard"), MONTH).content.decode()
    link = reverse("reports_index:dossiers", args=["6.1", "numerator"])
    assert f'href="{link}?month=2026-04"' in content


def test_the_list_shows_no_personal_data(signed_in, history):
    client = signed_in(history.monitor)
    page = client.get(reverse("reports_index:dossiers", args=["1.3", "denominator"]), MONTH)
    content = page.content.decode()
    assert history.a.code in content
    for personal in (history.citizen.personal_id, history.citizen.username, "Nguyễn Văn An"):
        assert personal not in content


def test_names_are_escaped_in_charts_and_tables(signed_in, history):
    history.department.name = "Sở <b>Tư pháp</b>"
    history.department.save()
    client = signed_in(history.monitor)
    content = client.get(reverse("reports_index:dashboard"), MONTH).content.decode()
    assert "<b>Tư pháp</b>" not in content
    assert "&lt;b&gt;Tư pháp&lt;/b&gt;" in content


@pytest.mark.parametrize(
    "month", ["2026-13", "tháng tư", "2026-00", "2026-04-01", "0001-01", "10000-01"]
)
def test_a_wrong_month_falls_back_to_the_current_one(signed_in, world, month):
    client = signed_in(world.monitor)
    page = client.get(reverse("reports_index:dashboard"), {"month": month})
    assert page.status_code == 200
    assert page.context["month_error"]


def test_an_unknown_indicator_is_not_found(signed_in, world):
    client = signed_in(world.monitor)
    for code, part in (("9.9", "numerator"), ("1.1", "numerator"), ("2.1", "all")):
        url = reverse("reports_index:dossiers", args=[code, part])
        assert client.get(url).status_code == 404


def test_the_list_of_dossiers_takes_a_bounded_number_of_queries(
    signed_in, history, django_assert_max_num_queries
):
    client = signed_in(history.monitor)
    url = reverse("reports_index:dossiers", args=["2.1", "denominator"])
    with django_assert_max_num_queries(25):
        assert client.get(url, MONTH).status_code == 200
