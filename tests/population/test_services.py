"""Lookups, their log and the usage statistics (SPEC §3 item 16; BN 9.3, HG 10)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.accounts.models import Role, User
from motcua.catalogue.models import Agency
from motcua.population import services
from motcua.population.models import ImmutableLookupLog, PopulationLookup, RegisteredOfficer
from motcua.population.services import LookupRefused, RegistrationRefused
from tests.dossiers.conftest import new_dossier

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PURPOSE = "Xác minh nhân thân người nộp hồ sơ"


def test_a_registered_officer_finds_a_citizen_and_it_is_logged(pop):
    dossier = new_dossier(pop)
    result = services.lookup(
        pop.desk_officer, "027090001234", f"  {PURPOSE}  ", dossier_code=dossier.code
    )
    assert result.found and result.citizen.full_name == "Nguyễn Văn An"
    entry = PopulationLookup.objects.get()
    assert entry == result.entry
    assert entry.officer == pop.desk_officer
    assert entry.agency == pop.centre
    assert entry.personal_id == "027090001234"
    assert entry.purpose == PURPOSE
    assert entry.dossier_code == dossier.code
    assert entry.outcome == "found" and entry.failure == ""


def test_not_found_is_logged_too(pop):
    result = services.lookup(pop.desk_officer, "027090009999", PURPOSE)
    assert not result.found and result.citizen is None
    assert PopulationLookup.objects.get().outcome == "not_found"
    result = services.lookup(pop.desk_officer, "027090001234", PURPOSE, full_name="Trần Văn An")
    assert result.outcome == "not_found"


def test_the_agency_at_the_time_is_kept(pop):
    services.lookup(pop.desk_officer, "027090001234", PURPOSE)
    pop.desk_officer.agency = pop.department
    pop.desk_officer.save()
    services.lookup(pop.desk_officer, "027090001234", PURPOSE)
    assert [e.agency for e in PopulationLookup.objects.order_by("id")] == [
        pop.centre,
        pop.department,
    ]


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("specialist", "not_registered"),
        ("citizen", "not_staff"),
    ],
)
def test_unregistered_people_are_refused_and_nothing_is_logged(pop, who, code):
    user = getattr(pop, who)
    with pytest.raises(LookupRefused) as refused:
        services.lookup(user, "027090001234", PURPOSE)
    assert refused.value.code == code
    assert not PopulationLookup.objects.exists()


def test_a_revoked_or_agency_less_officer_is_refused(pop):
    services.revoke_officer(pop.desk_officer, by=pop.auditor)
    with pytest.raises(LookupRefused) as refused:
        services.lookup(pop.desk_officer, "027090001234", PURPOSE)
    assert refused.value.code == "registration_revoked"
    drifter = User.objects.create(username="lang", kind=User.Kind.STAFF, role=Role.SPECIALIST)
    services.register_officer(drifter, by=pop.auditor, decision_number="14/PC06")
    with pytest.raises(LookupRefused) as refused:
        services.lookup(drifter, "027090001234", PURPOSE)
    assert refused.value.code == "no_agency"
    assert not PopulationLookup.objects.exists()


@pytest.mark.parametrize(
    ("personal_id", "purpose", "dossier_code", "code", "field"),
    [
        ("02709000123", PURPOSE, "", "invalid_personal_id", "personal_id"),
        ("02709000123a", PURPOSE, "", "invalid_personal_id", "personal_id"),
        ("", PURPOSE, "", "invalid_personal_id", "personal_id"),
        ("027090001234", "Xác minh", "", "purpose_required", "purpose"),
        ("027090001234", "   a    b    c    ", "", "purpose_required", "purpose"),
        ("027090001234", PURPOSE, "KHONG-CO", "unknown_dossier", "dossier_code"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_logged(
    pop, personal_id, purpose, dossier_code, code, field
):
    with pytest.raises(LookupRefused) as refused:
        services.lookup(pop.desk_officer, personal_id, purpose, dossier_code=dossier_code)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert refused.value.message
    assert not PopulationLookup.objects.exists()


def test_an_unavailable_database_is_logged_as_such(pop, settings):
    settings.MOTCUA_POPULATION_SERVICE = "unavailable"
    result = services.lookup(pop.desk_officer, "027090001234", PURPOSE)
    assert result.outcome == "unavailable" and result.citizen is None
    assert result.failure == "unreachable"
    entry = PopulationLookup.objects.get()
    assert (entry.outcome, entry.failure, entry.purpose) == ("unavailable", "unreachable", PURPOSE)


def test_the_log_is_append_only(pop):
    entry = services.lookup(pop.desk_officer, "027090001234", PURPOSE).entry
    entry.purpose = "Sửa lại mục đích cho đẹp"
    with pytest.raises(ImmutableLookupLog):
        entry.save()
    with pytest.raises(ImmutableLookupLog):
        entry.delete()
    with pytest.raises(ImmutableLookupLog):
        PopulationLookup.objects.filter(pk=entry.pk).update(purpose="x")
    with pytest.raises(ImmutableLookupLog):
        PopulationLookup.objects.all().delete()
    copy = PopulationLookup.objects.get(pk=entry.pk)
    copy.pk = None  # a new row is fine: the log grows
    copy._state.adding = True
    copy.save()
    assert PopulationLookup.objects.count() == 2
    assert PopulationLookup.objects.get(pk=entry.pk).purpose == PURPOSE


def test_registration_is_the_police_business(pop):
    with pytest.raises(RegistrationRefused) as refused:
        services.register_officer(pop.specialist, by=pop.leader, decision_number="1/SO")
    assert refused.value.code == "forbidden"
    with pytest.raises(RegistrationRefused) as refused:
        services.register_officer(pop.citizen, by=pop.auditor, decision_number="1/PC06")
    assert refused.value.code == "not_staff"
    with pytest.raises(RegistrationRefused) as refused:
        services.register_officer(pop.specialist, by=pop.auditor, decision_number="  ")
    assert refused.value.code == "decision_required"
    assert not services.is_registered(pop.specialist)
    services.register_officer(pop.specialist, by=pop.auditor, decision_number="15/PC06")
    assert services.is_registered(pop.specialist)
    services.revoke_officer(pop.specialist, by=pop.auditor)
    assert not services.is_registered(pop.specialist)
    with pytest.raises(RegistrationRefused):
        services.revoke_officer(pop.specialist, by=pop.auditor)
    again = services.register_officer(pop.specialist, by=pop.auditor, decision_number="16/PC06")
    assert again.active and again.revoked_at is None
    assert RegisteredOfficer.objects.filter(user=pop.specialist).count() == 1


def log(officer, agency, at, outcome="found", personal_id="027090001234"):
    return PopulationLookup.objects.create(
        officer=officer,
        agency=agency,
        personal_id=personal_id,
        purpose=PURPOSE,
        outcome=outcome,
        at=datetime.fromisoformat(at).replace(tzinfo=HCM),
    )


@pytest.fixture
def history(pop):
    log(pop.desk_officer, pop.centre, "2026-03-01T00:00")  # first instant of the period
    log(pop.desk_officer, pop.centre, "2026-03-10T09:00", "not_found")
    log(pop.desk_officer, pop.centre, "2026-03-31T23:59", "unavailable")  # last minute
    log(pop.commune_officer, pop.commune, "2026-03-05T10:00")
    log(pop.desk_officer, pop.department, "2026-03-20T10:00")  # after a transfer
    unit_officer = User.objects.create(
        username="donvi", kind=User.Kind.STAFF, role=Role.SPECIALIST, agency=pop.unit
    )
    log(unit_officer, pop.unit, "2026-03-21T10:00")
    log(pop.desk_officer, pop.centre, "2026-02-28T23:59")  # before
    log(pop.desk_officer, pop.centre, "2026-04-01T00:00")  # after
    pop.unit_officer = unit_officer
    return pop


def test_usage_counts_per_agency_and_officer(history):
    usage = services.usage(date(2026, 3, 1), date(2026, 3, 31))
    assert (usage.total.total, usage.total.found) == (6, 4)
    assert (usage.total.not_found, usage.total.unavailable) == (1, 1)
    per_agency = {
        u.agency.code: (u.total, u.found, u.not_found, u.unavailable) for u in usage.per_agency
    }
    assert per_agency == {
        history.centre.code: (3, 1, 1, 1),
        history.commune.code: (1, 1, 0, 0),
        history.department.code: (1, 1, 0, 0),
        history.unit.code: (1, 1, 0, 0),
    }
    assert usage.per_agency[0].agency == history.centre  # busiest first
    per_officer = {(u.officer.username, u.agency.code): u.total for u in usage.per_officer}
    assert per_officer == {
        ("tiepnhan", history.centre.code): 3,
        ("tiepnhan", history.department.code): 1,
        ("xa.tiepnhan", history.commune.code): 1,
        ("donvi", history.unit.code): 1,
    }
    desk = usage.per_officer[0]
    assert desk.registration.decision_number == "12/PC06"
    assert desk.last_at == datetime(2026, 3, 31, 23, 59, tzinfo=HCM)


def test_usage_of_one_agency_includes_the_agencies_below_it(history):
    usage = services.usage(date(2026, 3, 1), date(2026, 3, 31), history.department)
    assert {u.agency for u in usage.per_agency} == {history.department, history.unit}
    assert usage.total.total == 2
    province = Agency.objects.get(code="000.00.00.H06")
    assert services.usage(date(2026, 3, 1), date(2026, 3, 31), province).total.total == 6
    one_day = services.usage(date(2026, 3, 10), date(2026, 3, 10))
    assert one_day.total.total == 1
    with pytest.raises(services.PopulationError):
        services.usage(date(2026, 3, 10), date(2026, 3, 9))
