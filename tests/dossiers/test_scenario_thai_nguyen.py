"""Thái Nguyên, the 2024 regulation, walked article by article."""

import pytest

from motcua.dossiers import services
from motcua.dossiers.errors import RuleViolation
from motcua.dossiers.models import Status
from motcua.profiles import active_profile

from .conftest import at, new_dossier


@pytest.fixture(autouse=True)
def thai_nguyen(settings):
    settings.MOTCUA_PROFILE = "thai-nguyen"


def test_5_5_sign_in_through_the_national_identity():
    assert set(active_profile().sign_in.methods) == {"vneid", "national_sso"}


def test_20_2_processing_proceeds_only_on_the_banks_receipt(world):
    w = world
    dossier = new_dossier(w)
    with pytest.raises(RuleViolation) as error:
        services.receive(dossier, w.desk_officer)
    assert error.value.code == "fee_unpaid"
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    services.record_payment(dossier, amount=100_000, reference="NSNN-2026-0001")
    dossier = services.receive(dossier, w.desk_officer, at=at("2026-03-02T10:00:00+07:00"))
    assert dossier.status == Status.PROCESSING


def test_20_2_a_free_procedure_is_not_gated(world):
    w = world
    dossier = new_dossier(w, w.birth)
    assert services.receive(dossier, w.commune_officer).status == Status.PROCESSING
