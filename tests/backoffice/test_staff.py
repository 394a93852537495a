"""An agency administrator manages the staff accounts of the agency's own tree."""

from motcua.accounts.models import User


def admin_of(world):
    return User.objects.create(
        username="quantri", kind=User.Kind.STAFF, role="agency_admin", agency=world.department
    )


def test_create_and_suspend_a_staff_account(world, signed_in):
    client = signed_in(admin_of(world))
    response = client.post(
        "/noi-bo/cau-hinh/can-bo/",
        {
            "username": "chuyenvien.moi",
            "full_name": "Phạm Văn Đức",
            "role": "specialist",
            "agency": world.unit.pk,
            "password": "Mật-khẩu-ban-đầu-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="chuyenvien.moi")
    assert (user.kind, user.role, user.agency) == ("staff", "specialist", world.unit)
    assert user.check_password("Mật-khẩu-ban-đầu-2026")
    client.post("/noi-bo/cau-hinh/can-bo/", {"toggle": user.pk})
    user.refresh_from_db()
    assert not user.is_active


def test_weak_passwords_and_other_agencies_are_refused(world, signed_in):
    client = signed_in(admin_of(world))
    response = client.post(
        "/noi-bo/cau-hinh/can-bo/",
        {
            "username": "yeu",
            "full_name": "A",
            "role": "specialist",
            "agency": world.unit.pk,
            "password": "123",
        },
    )
    assert 'id="id_password-errors"' in response.content.decode()
    response = client.post(
        "/noi-bo/cau-hinh/can-bo/",
        {
            "username": "xa",
            "full_name": "B",
            "role": "specialist",
            "agency": world.commune.pk,
            "password": "Mật-khẩu-ban-đầu-2026",
        },
    )
    assert 'id="id_agency-errors"' in response.content.decode()
    assert (
        client.post("/noi-bo/cau-hinh/can-bo/", {"toggle": world.commune_officer.pk}).status_code
        == 404
    )
    assert not User.objects.filter(username__in=["yeu", "xa"]).exists()


def test_only_agency_admins(world, signed_in):
    for user in (world.leader, world.monitor):
        assert signed_in(user).get("/noi-bo/cau-hinh/can-bo/").status_code == 403
