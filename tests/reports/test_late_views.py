"""The late lists' pages: the back office's list for the monitor and the leaders, the
monitor's publication, and the Portal's public pages, which name no applicant (BN 24.3)."""

from datetime import date

import pytest
from django.urls import reverse

from motcua.audit.models import AuditEntry
from motcua.reports.models import StoredReport

from .fixtures_late_lists import APPLICANT_ID, APPLICANT_NAME, make_late

pytestmark = pytest.mark.urls("tests.reports.urls_late")

LIST = "/noi-bo/cham-muon/"
CSV = "/noi-bo/cham-muon/tai-ve.csv"
PUBLISH = "/noi-bo/cham-muon/cong-bo/"
PUBLIC = "/cong-khai/cham-muon/"
MARCH = "?thang=2026-03"


@pytest.fixture
def late(world):
    return make_late(world)


def test_urls():
    assert reverse("reports_late:list") == LIST
    assert reverse("reports_late:csv") == CSV
    assert reverse("reports_late:publish") == PUBLISH
    assert reverse("reports_late_public:index") == PUBLIC
    assert reverse("reports_late_public:month", args=[date(2026, 3, 1)]) == PUBLIC + "2026-03/"


def test_the_monitor_reads_the_whole_province_and_may_publish(late, signed_in):
    page = signed_in(late.w.monitor).get(LIST + MARCH)
    assert page.status_code == 200
    html = page.content.decode()
    for code in (late.a.code, late.b.code, late.d.code, late.e.code, late.f.code):
        assert code in html
    assert late.c.code not in html
    assert "Danh sách chậm muộn hằng tháng" in html
    assert "chuyenvien" in html and "Phòng Hành chính tư pháp" in html
    assert f'action="{PUBLISH}"' in html
    assert "no-store" in page["Cache-Control"]


def test_an_agency_leader_reads_the_own_sub_tree_and_does_not_publish(late, signed_in):
    html = signed_in(late.w.leader).get(LIST + MARCH).content.decode()
    assert late.a.code in html and late.f.code not in html
    assert "UBND phường Kinh Bắc" not in html
    assert f'action="{PUBLISH}"' not in html


def test_a_unit_leader_reads_the_units_late_steps(late, signed_in):
    html = signed_in(late.w.unit_leader).get(LIST + MARCH).content.decode()
    assert "Phòng Hành chính tư pháp" in html and late.a.code in html
    assert "vanthu" not in html  # the department's clerk is not in the unit


@pytest.mark.parametrize("who", ["specialist", "desk_officer", "clerk"])
def test_other_staff_are_turned_away(late, signed_in, who):
    client = signed_in(getattr(late.w, who))
    assert client.get(LIST + MARCH).status_code == 403
    assert client.get(CSV + MARCH).status_code == 403


def test_applicants_and_strangers_are_turned_away(late, client, signed_in):
    page = client.get(LIST + MARCH)
    assert page.status_code == 302 and page["Location"].startswith("/noi-bo/dang-nhap/")
    assert signed_in(late.w.citizen).get(LIST + MARCH).status_code == 403


@pytest.mark.parametrize("month", ["2026-13", "0000-03"])
def test_a_bad_month_is_said(late, signed_in, month):
    page = signed_in(late.w.monitor).get(LIST + f"?thang={month}")
    assert page.status_code == 400
    assert "YYYY-MM" in page.content.decode()


def test_the_page_opens_on_the_last_closed_month(late, signed_in):
    page = signed_in(late.w.monitor).get(LIST)
    assert page.status_code == 200
    assert 'name="thang"' in page.content.decode()


def test_the_page_runs_a_bounded_number_of_queries(late, signed_in, django_assert_max_num_queries):
    client = signed_in(late.w.monitor)
    with django_assert_max_num_queries(14):
        assert client.get(LIST + MARCH).status_code == 200


def test_the_csv_of_the_scope(late, signed_in):
    page = signed_in(late.w.leader).get(CSV + MARCH)
    assert page.status_code == 200 and page["Content-Type"].startswith("text/csv")
    assert "danh-sach-cham-muon-2026-03.csv" in page["Content-Disposition"]
    text = page.content.decode("utf-8-sig")
    assert late.a.code in text and late.f.code not in text


def test_the_monitor_publishes_and_the_portal_shows_it(late, signed_in, client):
    page = signed_in(late.w.monitor).post(PUBLISH, {"thang": "2026-03"})
    assert page.status_code == 302 and page["Location"] == LIST + MARCH
    report = StoredReport.objects.get(kind=StoredReport.Kind.LATE_LIST)
    assert report.published_at is not None
    entry = AuditEntry.objects.get(action="reports.late_list.publish")
    assert entry.actor == late.w.monitor and entry.ip == "127.0.0.1"

    client.logout()
    index = client.get(PUBLIC)
    assert index.status_code == 200
    assert f'href="{PUBLIC}2026-03/"' in index.content.decode()
    public = client.get(PUBLIC + "2026-03/")
    assert public.status_code == 200
    assert "portal/base.html" in [t.name for t in public.templates]
    html = public.content.decode()
    for name in (late.a.code, late.f.code, "Sở Tư pháp", "chuyenvien", "xa.chutich"):
        assert name in html
    assert "Danh sách chậm muộn tháng 03/2026" in html


def test_the_public_pages_never_name_the_applicant(late, signed_in, client):
    signed_in(late.w.monitor).post(PUBLISH, {"thang": "2026-03"})
    client.logout()
    pages = [client.get(PUBLIC), client.get(PUBLIC + "2026-03/")]
    pages.append(client.get(PUBLIC + "2026-03/tai-ve.csv"))
    assert all(page.status_code == 200 for page in pages)
    assert late.a.code in pages[2].content.decode("utf-8-sig")
    for page in pages:
        text = page.content.decode("utf-8-sig")
        for personal in (APPLICANT_NAME, APPLICANT_ID, late.w.citizen.username):
            assert personal not in text


def test_publishing_again_replaces_the_public_version(late, signed_in, client):
    monitor = signed_in(late.w.monitor)
    monitor.post(PUBLISH, {"thang": "2026-03"})
    monitor.post(PUBLISH, {"thang": "2026-03"})
    assert StoredReport.objects.filter(kind=StoredReport.Kind.LATE_LIST).count() == 2
    html = monitor.get(LIST + MARCH).content.decode()
    assert 'id="published"' in html
    client.logout()
    html = client.get(PUBLIC + "2026-03/").content.decode()
    assert "thay thế bản đã công bố" in html


def test_a_month_still_running_is_not_published(late, signed_in):
    page = signed_in(late.w.monitor).post(PUBLISH, {"thang": "2099-01"})
    assert page.status_code == 400
    assert "khi tháng đã kết thúc" in page.content.decode()
    assert not StoredReport.objects.exists()


def test_a_bad_month_is_not_published(late, signed_in):
    page = signed_in(late.w.monitor).post(PUBLISH, {"thang": "tháng ba"})
    assert page.status_code == 400
    assert not StoredReport.objects.exists()


@pytest.mark.parametrize("who", ["leader", "unit_leader"])
def test_leaders_do_not_publish(late, signed_in, who):
    page = signed_in(getattr(late.w, who)).post(PUBLISH, {"thang": "2026-03"})
    assert page.status_code == 403
    assert not StoredReport.objects.exists()


def test_publishing_needs_a_post(late, signed_in):
    assert signed_in(late.w.monitor).get(PUBLISH + MARCH).status_code == 405


def test_a_month_without_a_published_list_is_not_found(late, client):
    assert client.get(PUBLIC + "2026-03/").status_code == 404
    assert client.get(PUBLIC + "2026-03/tai-ve.csv").status_code == 404
    assert client.get(PUBLIC + "2026-13/").status_code == 404
    page = client.get(PUBLIC)
    assert page.status_code == 200 and "Chưa có danh sách nào được công bố" in page.content.decode()
