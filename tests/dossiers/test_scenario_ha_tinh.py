"""Hà Tĩnh, the 2018 amendment of Quyết định 15/2016/QĐ-UBND; where it is silent the
national rules apply."""

import pytest

from motcua.dossiers import services
from motcua.profiles import active_profile

from .conftest import at, new_dossier, received


@pytest.fixture(autouse=True)
def ha_tinh(settings):
    settings.MOTCUA_PROFILE = "ha-tinh"


def test_14_reports_quarterly_and_yearly_before_the_fifth():
    reports = [(r.period, r.due_day, r.article) for r in active_profile().reports]
    assert reports == [("quarter", 5, "HT 14"), ("year", 5, "HT 14")]


def test_17_5_online_dossiers_are_received_on_working_days(world):
    dossier = new_dossier(world, submitted="2026-08-29T10:00:00+07:00")  # Saturday
    # 31 Aug (substitute day off), 1–2 Sep (National Day): from Thu 3 Sep 07:30.
    assert dossier.reception_due_at == at("2026-09-03T17:00:00+07:00")


def test_national_rule_one_supplement_then_an_apology(world):
    w = world
    dossier = received(world)
    dossier = services.request_supplement(dossier, w.specialist, items=["A"], guidance="A")
    dossier = services.resubmit(dossier, w.citizen)
    dossier = services.request_supplement(
        dossier, w.specialist, items=["B"], guidance="B", apology="Xin lỗi", apology_signer=w.leader
    )
    assert dossier.apologies.get().reason == "repeat_supplement"
