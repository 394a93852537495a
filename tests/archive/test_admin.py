"""Retention periods are set in the admin, through the service, audited; packages are
shown read-only."""

from motcua.archive.models import Retention
from motcua.audit.models import AuditEntry


def test_a_retention_period_set_in_the_admin_is_audited(world, admin_client):
    response = admin_client.post(
        "/admin/archive/retention/add/",
        {"procedure": world.permit.pk, "years": "20", "basis": "TT 10/2022/TT-BNV"},
    )
    assert response.status_code == 302
    retention = Retention.objects.get(procedure=world.permit)
    assert (retention.years, retention.basis) == (20, "TT 10/2022/TT-BNV")
    entry = AuditEntry.objects.get(action="archive.retention")
    assert entry.details == {"procedure": "1.000001", "years": 20, "created": True}


def test_packages_cannot_be_added_in_the_admin(world, admin_client):
    assert admin_client.get("/admin/archive/archiveexport/").status_code == 200
    assert admin_client.get("/admin/archive/archiveexport/add/").status_code == 403
