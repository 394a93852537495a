"""A dossier whose result is ready, the applicant's address and phone on its e-form; the
fake postal service forgets its bookings between tests."""

import pytest

from motcua.catalogue.models import Procedure
from motcua.dossiers import services
from motcua.postal.adapters import FakePostalService

from ..dossiers.conftest import received, world  # noqa: F401 — the shared small province

WEBHOOK_SECRET = "bí-mật-của-bưu-điện"
ADDRESS = "Số 12 đường Ngô Gia Tự, phường Kinh Bắc, tỉnh Bắc Ninh"


@pytest.fixture(autouse=True)
def fake_postal_service(settings):
    settings.MOTCUA_POSTAL_SERVICE = "fake"
    settings.MOTCUA_POSTAL_WEBHOOK_SECRET = WEBHOOK_SECRET
    FakePostalService.bookings.clear()
    yield FakePostalService
    FakePostalService.bookings.clear()


def with_contact_fields(procedure: Procedure) -> None:
    schema = dict(procedure.form_schema)
    schema["fields"] = [
        *schema["fields"],
        {"name": "address", "label": "Địa chỉ", "type": "text", "required": False},
        {"name": "phone", "label": "Số điện thoại", "type": "phone", "required": False},
    ]
    Procedure.objects.filter(pk=procedure.pk).update(form_schema=schema)
    procedure.refresh_from_db()


@pytest.fixture
def ready(world):  # noqa: F811 — the shared fixture, imported above
    """The permit dossier, fee paid, its result ready at the provincial centre's desk."""

    def make(**form):
        w = world
        with_contact_fields(w.permit)
        w.form = {**w.form, "address": ADDRESS, "phone": "0912345678", **form}
        w.form = {k: v for k, v in w.form.items() if v is not None}
        dossier = received(w)
        for officer in (w.specialist, w.unit_leader, w.leader):
            dossier = services.forward(dossier, officer)
        services.record_payment(dossier, amount=100_000, reference="BL-1")
        return services.complete(dossier, w.clerk)

    return make
