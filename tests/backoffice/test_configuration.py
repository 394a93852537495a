"""Province configuration by the system operator: agency merges and calendar overrides,
with open deadlines recomputed (SPEC §3 item 17)."""

from motcua.accounts.models import User
from motcua.calendar.models import CalendarOverride
from motcua.catalogue.models import Agency
from tests.dossiers.conftest import at, received


def operator(world):
    return User.objects.create(
        username="vanhanh", kind=User.Kind.STAFF, role="system_operator", agency=world.province
    )


def test_merge_from_the_page_moves_open_dossiers(world, signed_in):
    target = Agency.objects.create(
        code="H06.01.02", name="UBND phường Vũ Ninh", level="commune", parent=world.province
    )
    dossier = received(world, world.birth)
    client = signed_in(operator(world))
    response = client.post(
        "/noi-bo/cau-hinh/co-quan/",
        {
            "source": world.commune.pk,
            "target": target.pk,
            "on": "01/07/2025",
            "decision": "Nghị quyết 1658/NQ-UBTVQH15",
        },
        follow=True,
    )
    assert "UBND phường Vũ Ninh" in response.content.decode()
    dossier.refresh_from_db()
    world.commune.refresh_from_db()
    assert dossier.agency == target and world.commune.status == "merged"


def test_a_refused_merge_is_shown_and_changes_nothing(world, signed_in):
    client = signed_in(operator(world))
    response = client.post(
        "/noi-bo/cau-hinh/co-quan/",
        {
            "source": world.department.pk,
            "target": world.unit.pk,
            "on": "01/07/2025",
            "decision": "x",
        },
    )
    assert response.status_code == 200 and 'id="form-errors"' in response.content.decode()
    world.department.refresh_from_db()
    assert world.department.status == "active"


def test_an_extra_day_off_moves_open_deadlines_at_once(world, signed_in):
    dossier = received(world)  # due Mon 9 Mar 10:00
    client = signed_in(operator(world))
    client.post(
        "/noi-bo/cau-hinh/lich/",
        {"day": "04/03/2026", "kind": "day_off", "reason": "Bão số 1", "decision": "QĐ 1/UBND"},
    )
    assert CalendarOverride.objects.get().created_by.username == "vanhanh"
    dossier.refresh_from_db()
    assert dossier.due_at == at("2026-03-10T10:00:00+07:00")


def test_only_the_system_operator_configures(world, signed_in):
    for user in (world.leader, world.monitor, world.desk_officer):
        client = signed_in(user)
        assert client.get("/noi-bo/cau-hinh/co-quan/").status_code == 403
        assert client.get("/noi-bo/cau-hinh/lich/").status_code == 403
