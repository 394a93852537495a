"""The applicant's profile page (VP 10.3: changing account information) and the sign-in
page's handling of ``next`` and of staff."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from motcua.accounts.models import Role, User
from motcua.identity.models import ApplicantProfile
from motcua.identity.views import safe_next

from .conftest import signed_in_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(client):
    user = User.objects.create(
        username="cd027090001234",
        kind=User.Kind.CITIZEN,
        personal_id="027090001234",
        full_name="Nguyễn Văn An",
        phone="0912345678",
    )
    client.force_login(user)
    return user


def test_signing_in_is_needed_and_staff_are_turned_away(client):
    response = client.get(reverse("identity:profile"))
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/dang-nhap/?next=/tai-khoan/"
    staff = User.objects.create(username="canbo", kind=User.Kind.STAFF, role=Role.SPECIALIST)
    client.force_login(staff)
    assert client.get(reverse("identity:profile")).status_code == 403


def test_the_profile_shows_who_the_applicant_is(client, citizen):
    page = client.get(reverse("identity:profile")).content.decode()
    assert "Nguyễn Văn An" in page and "027090001234" in page
    assert "Cổng Dịch vụ công quốc gia" in page
    assert 'name="full_name"' not in page  # the name comes from the national identity


def test_contact_details_are_saved(client, citizen):
    response = client.post(
        reverse("identity:profile"),
        {
            "phone": "+84 987 654 321",
            "email": "an@example.vn",
            "address": "  Số 12   Ngô Gia Tự ",
            "full_name": "Kẻ Mạo Danh",
        },
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.phone == "0987654321" and citizen.email == "an@example.vn"
    assert citizen.full_name == "Nguyễn Văn An"  # not editable for a national identity
    assert ApplicantProfile.objects.get(user=citizen).address == "Số 12 Ngô Gia Tự"
    page = client.get(reverse("identity:profile")).content.decode()
    assert "Đã lưu thông tin liên hệ" in page


def test_bad_contact_details_change_nothing(client, citizen):
    response = client.post(
        reverse("identity:profile"), {"phone": "12345", "email": "not-an-email", "address": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vui lòng nhập số điện thoại Việt Nam" in page
    assert 'aria-invalid="true"' in page
    citizen.refresh_from_db()
    assert citizen.phone == "0912345678" and citizen.email == ""


def test_a_local_account_sets_its_own_name(client):
    user = User.objects.create(username="sdt0912345678", kind=User.Kind.CITIZEN)
    ApplicantProfile.objects.create(user=user, sign_in_phone="0912345678")
    client.force_login(user)
    page = client.get(reverse("identity:profile")).content.decode()
    assert 'name="full_name"' in page and "0912345678" in page
    assert client.post(reverse("identity:profile"), {"full_name": ""}).status_code == 400
    client.post(reverse("identity:profile"), {"full_name": "Đỗ  Quang Minh", "phone": ""})
    user.refresh_from_db()
    assert user.full_name == "Đỗ Quang Minh"


def test_signing_out_takes_a_post(client, citizen):
    assert client.get(reverse("identity:sign_out")).status_code == 405
    assert signed_in_user(client) == citizen
    client.post(reverse("identity:sign_out"))
    assert signed_in_user(client) is None


@pytest.mark.parametrize(
    "asked",
    [
        "https://evil.example/",
        "//evil.example/tai-khoan/",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "\\\\evil.example",
    ],
)
def test_next_never_leaves_the_site(client, sso, asked):
    response = sso("0", next_url=asked)
    assert response.status_code == 302
    assert response["Location"] == safe_next(RequestFactory().get("/"), None)
    assert response["Location"] in ("/ho-so-cua-toi/", "/tai-khoan/")
    page = client.get(reverse("identity:sign_in"), {"next": asked})
    assert page.status_code == 302 and page["Location"] == response["Location"]


def test_next_on_the_site_is_kept(client, sso):
    response = sso("0", next_url="/thu-tuc/?q=giay+phep")
    assert response["Location"] == "/thu-tuc/?q=giay+phep"
    page = client.get(reverse("identity:sign_in") + "?next=/hoi-dap/")
    assert page["Location"] == "/hoi-dap/"


def test_the_sign_in_page_passes_next_to_the_national_sso(client):
    page = client.get(reverse("identity:sign_in") + "?next=/hoi-dap/").content.decode()
    assert 'href="/tai-khoan/dang-nhap/cong-quoc-gia/?next=/hoi-dap/"' in page
    assert "Đăng nhập bằng Cổng Dịch vụ công quốc gia" in page


def test_a_signed_in_staff_member_is_told_to_use_the_back_office(client):
    staff = User.objects.create(username="canbo", kind=User.Kind.STAFF, role=Role.SPECIALIST)
    client.force_login(staff)
    page = client.get(reverse("identity:sign_in")).content.decode()
    assert 'id="staff-notice"' in page
