"""The lookup page, the police's usage page and log (SPEC §3 item 16; BN 9.3, HG 10)."""

import re
from datetime import datetime, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.population import services
from motcua.population.models import PopulationLookup

PURPOSE = "Xác minh nhân thân người nộp hồ sơ"
LOOKUP = "/noi-bo/dan-cu/"
USAGE = "/noi-bo/dan-cu/thong-ke/"
LOG = "/noi-bo/dan-cu/nhat-ky/"


def test_urls():
    assert reverse("population:lookup") == LOOKUP
    assert reverse("population:usage") == USAGE
    assert reverse("population:log") == LOG


def test_a_registered_officer_looks_a_citizen_up(pop, signed_in):
    client = signed_in(pop.desk_officer)
    page = client.get(LOOKUP)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'for="id_personal_id"' in html and 'for="id_purpose"' in html
    assert "no-store" in page["Cache-Control"]
    assert not PopulationLookup.objects.exists()  # showing the form looks nothing up

    page = client.post(LOOKUP, {"personal_id": "027090001234", "purpose": PURPOSE})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="citizen"' in html and "Nguyễn Văn An" in html and "12/05/1990" in html
    assert "no-store" in page["Cache-Control"]
    entry = PopulationLookup.objects.get()
    assert (entry.officer, entry.agency, entry.personal_id, entry.purpose) == (
        pop.desk_officer,
        pop.centre,
        "027090001234",
        PURPOSE,
    )
    assert f"{entry.pk}" in html


def test_the_page_speaks_vietnamese(pop, signed_in):
    html = signed_in(pop.desk_officer).get(LOOKUP).content.decode()
    assert "Tra cứu cơ sở dữ liệu quốc gia về dân cư" in html
    assert "Mục đích tra cứu" in html


def test_not_found_is_said_and_logged(pop, signed_in):
    page = signed_in(pop.desk_officer).post(
        LOOKUP, {"personal_id": "027090009999", "purpose": PURPOSE}
    )
    assert 'id="not-found"' in page.content.decode()
    assert PopulationLookup.objects.get().outcome == "not_found"


def test_unregistered_staff_get_403_and_nothing_is_logged(pop, signed_in):
    client = signed_in(pop.specialist)
    assert client.get(LOOKUP).status_code == 403
    page = client.post(LOOKUP, {"personal_id": "027090001234", "purpose": PURPOSE})
    assert page.status_code == 403
    assert "Nguyễn Văn An" not in page.content.decode()
    assert not PopulationLookup.objects.exists()


def test_a_revoked_officer_gets_403(pop, signed_in):
    services.revoke_officer(pop.desk_officer, by=pop.auditor)
    client = signed_in(pop.desk_officer)
    assert (
        client.post(LOOKUP, {"personal_id": "027090001234", "purpose": PURPOSE}).status_code == 403
    )
    assert not PopulationLookup.objects.exists()


def test_citizens_and_strangers_are_refused(pop, signed_in):
    anonymous = Client()
    response = anonymous.post(LOOKUP, {"personal_id": "027090001234", "purpose": PURPOSE})
    assert response.status_code == 302 and "/noi-bo/dang-nhap/" in response["Location"]
    citizen = Client()
    citizen.force_login(pop.citizen)
    assert citizen.get(LOOKUP).status_code == 403
    page = citizen.post(LOOKUP, {"personal_id": "027090001234", "purpose": PURPOSE})
    assert page.status_code == 403 and "Nguyễn Văn An" not in page.content.decode()
    assert citizen.get(USAGE).status_code == 403
    assert not PopulationLookup.objects.exists()


def test_staff_without_the_second_factor_are_sent_to_verify(pop):
    client = Client()
    client.force_login(pop.desk_officer)
    response = client.post(LOOKUP, {"personal_id": "027090001234", "purpose": PURPOSE})
    assert response.status_code == 302 and "/noi-bo/xac-thuc/" in response["Location"]
    assert not PopulationLookup.objects.exists()


def errors_of(html, field):
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def test_bad_id_and_short_purpose_are_field_errors(pop, signed_in):
    client = signed_in(pop.desk_officer)
    page = client.post(LOOKUP, {"personal_id": "02709000123", "purpose": "Xem"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "12 chữ số" in errors_of(html, "personal_id")
    assert "10" in errors_of(html, "purpose")
    assert re.search(r'aria-invalid="true" aria-describedby="[^"]*id_personal_id_error', html)
    assert 'id="citizen"' not in html
    page = client.post(LOOKUP, {"personal_id": "027090001234", "purpose": "   "})
    assert errors_of(page.content.decode(), "purpose")
    page = client.post(
        LOOKUP, {"personal_id": "027090001234", "purpose": PURPOSE, "dossier_code": "KHONG-CO"}
    )
    assert page.status_code == 400 and errors_of(page.content.decode(), "dossier_code")
    page = client.post(
        LOOKUP, {"personal_id": "027090001234", "purpose": PURPOSE, "birth_date": "31/02/1990"}
    )
    assert page.status_code == 400 and errors_of(page.content.decode(), "birth_date")
    assert not PopulationLookup.objects.exists()


def test_name_and_birth_date_are_checked(pop, signed_in):
    client = signed_in(pop.desk_officer)
    data = {"personal_id": "027185005678", "purpose": PURPOSE, "full_name": "Trần Thị Bình"}
    page = client.post(LOOKUP, {**data, "birth_date": "03/11/1985"})
    assert 'id="citizen"' in page.content.decode()
    page = client.post(LOOKUP, {**data, "birth_date": "04/11/1985"})
    assert 'id="not-found"' in page.content.decode()
    assert PopulationLookup.objects.count() == 2


def test_an_unavailable_database_is_said_and_logged(pop, signed_in, settings):
    settings.MOTCUA_POPULATION_SERVICE = "unavailable"
    page = signed_in(pop.desk_officer).post(
        LOOKUP, {"personal_id": "027090001234", "purpose": PURPOSE}
    )
    assert page.status_code == 200  # the page works; the peer does not
    html = page.content.decode()
    assert 'id="unavailable"' in html and 'role="alert"' in html
    assert "không kết nối được" in html
    entry = PopulationLookup.objects.get()
    assert (entry.outcome, entry.failure) == ("unavailable", "unreachable")


def lookups(pop):
    services.lookup(pop.desk_officer, "027090001234", PURPOSE)
    services.lookup(pop.desk_officer, "027090009999", PURPOSE)
    services.lookup(pop.commune_officer, "027185005678", PURPOSE)


def row(html, table, label):
    body = re.search(rf'<table id="{table}".*?</table>', html, re.S).group(0)
    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        if label in tr:
            return [
                re.sub(r"<[^>]+>", "", c).strip()
                for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
            ]
    return None


def test_the_police_see_counts_per_agency_and_officer(pop, signed_in):
    lookups(pop)
    page = signed_in(pop.auditor).get(USAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert row(html, "per-agency", "Trung tâm PVHCC")[1:] == ["2", "1", "1", "0"]
    assert row(html, "per-agency", "UBND phường Kinh Bắc")[1:] == ["1", "1", "0", "0"]
    officer = row(html, "per-officer", "(tiepnhan)")
    assert officer[1:7] == ["Trung tâm PVHCC", "12/PC06", "2", "1", "1", "0"]
    assert "027090001234" not in html  # statistics only: the log is a separate page
    today = timezone.localdate()
    period = f"start={today.replace(day=1):%d}%2F{today:%m}%2F{today:%Y}"
    assert f"{LOG}?{period}&amp;end=" in html  # the log link carries the period


def test_usage_filters_by_period_and_agency(pop, signed_in):
    lookups(pop)
    client = signed_in(pop.auditor)
    html = client.get(USAGE, {"agency": pop.commune.pk}).content.decode()
    assert row(html, "per-agency", "UBND phường Kinh Bắc") is not None
    assert row(html, "per-agency", "Trung tâm PVHCC") is None
    assert f"agency={pop.commune.pk}&amp;officer={pop.commune_officer.pk}" in html
    yesterday = timezone.localdate() - timedelta(days=1)
    last_year = yesterday - timedelta(days=365)
    html = client.get(
        USAGE, {"start": last_year.strftime("%d/%m/%Y"), "end": yesterday.strftime("%d/%m/%Y")}
    ).content.decode()
    assert row(html, "per-agency", "Trung tâm PVHCC") is None
    page = client.get(USAGE, {"start": "10/03/2026", "end": "01/03/2026"})
    assert page.status_code == 400
    assert errors_of(page.content.decode(), "end")


def test_the_province_monitor_sees_statistics_but_not_the_log(pop, signed_in):
    lookups(pop)
    client = signed_in(pop.monitor)
    html = client.get(USAGE).content.decode()
    assert row(html, "per-agency", "Trung tâm PVHCC")[1] == "2"
    assert LOG not in html
    assert client.get(LOG).status_code == 403


def test_a_specialist_cannot_see_the_usage_page(pop, signed_in):
    lookups(pop)
    for user in (pop.specialist, pop.desk_officer, pop.leader):
        client = signed_in(user)
        page = client.get(USAGE)
        assert page.status_code == 403
        assert "Trung tâm PVHCC" not in page.content.decode()
        assert client.get(LOG).status_code == 403


def test_the_police_read_the_log(pop, signed_in):
    lookups(pop)
    client = signed_in(pop.auditor)
    html = client.get(LOG).content.decode()
    assert html.count("<tr>") == 4  # header + 3 entries
    assert "027090001234" in html and PURPOSE in html
    html = client.get(LOG, {"officer": pop.commune_officer.pk}).content.decode()
    assert "027185005678" in html and "027090001234" not in html
    assert 'id="officer-filter"' in html


def test_the_default_period_is_this_month(pop, signed_in):
    old = services.lookup(pop.desk_officer, "027090001234", PURPOSE).entry
    PopulationLookup.objects.create(
        officer=old.officer,
        agency=old.agency,
        personal_id="027090001234",
        purpose=PURPOSE,
        outcome="found",
        at=timezone.make_aware(datetime(2001, 1, 1, 9)),
    )
    html = signed_in(pop.auditor).get(USAGE).content.decode()
    assert row(html, "per-agency", "Trung tâm PVHCC")[1] == "1"
