"""Server-side copies of the public catalogue and lookup pages (SPEC §6): rendered once for
the visitors who are not signed in, filled in for each request, forgotten when what they
show changes; the lookup reads the dossier anew every time (BN 14.6, HG 8)."""

# The province's `world` fixture is imported; tests take it as an argument.
# ruff: noqa: F811

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from motcua.dossiers import services
from motcua.dossiers.models import Status
from motcua.operations import maintenance

from ..dossiers.conftest import at, new_dossier, world  # noqa: F401
from ..factories import AgencyFactory, FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db

SEARCH = "/thu-tuc/?q=cap+giay+phep"


@pytest.fixture
def permit():
    return ProcedureFactory(
        name="Cấp giấy phép xây dựng",
        field=FieldFactory(code="XD", name="Xây dựng"),
        agencies=[AgencyFactory(code="000.01.16.H06", name="Sở Xây dựng")],
    )


def page_of(response, status=200):
    assert response.status_code == status
    return response.content.decode()


def test_a_repeated_search_is_served_from_the_copy(client, permit, django_assert_num_queries):
    first = page_of(client.get(SEARCH))
    with django_assert_num_queries(0):
        again = page_of(Client().get(SEARCH))
    assert "Cấp giấy phép xây dựng" in again and "1 thủ tục" in again
    assert first.count("<li>") == again.count("<li>")


def test_a_changed_procedure_shows_at_once(client, permit):
    assert "Cấp giấy phép xây dựng<" in page_of(client.get(SEARCH))
    permit.name = "Cấp giấy phép xây dựng công trình"
    permit.save()
    page = page_of(client.get(SEARCH))
    assert "Cấp giấy phép xây dựng công trình<" in page


def test_a_new_unpublished_or_relinked_procedure_shows_at_once(client, permit):
    page_of(client.get(SEARCH))
    added = ProcedureFactory(name="Cấp giấy phép môi trường", field=FieldFactory(name="Môi trường"))
    page = page_of(client.get(SEARCH))
    assert "Cấp giấy phép môi trường" in page and "2 thủ tục" in page
    assert ">Môi trường</option>" in page  # the filter lists follow
    added.is_active = False
    added.save()
    assert "Cấp giấy phép môi trường" not in page_of(client.get(SEARCH))
    # A change of the agencies alone leaves the procedure's time stamp as it was.
    permit.agencies.add(AgencyFactory(name="UBND huyện Tiên Du"))
    assert "UBND huyện Tiên Du" in page_of(client.get(SEARCH))


def test_a_renamed_field_shows_at_once(client, permit):
    page_of(client.get(SEARCH))
    permit.field.name = "Quy hoạch, xây dựng"
    permit.field.save()
    assert "Quy hoạch, xây dựng" in page_of(client.get(SEARCH))


def test_each_language_has_its_own_copy(client, permit):
    assert "Thủ tục hành chính" in page_of(client.get(SEARCH))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = page_of(client.get(SEARCH))
    assert "Administrative procedures" in english and "Thủ tục hành chính" not in english


def test_signed_in_visitors_get_their_own_page(client, permit, django_user_model):
    page_of(Client().get(SEARCH))  # the copy for visitors who are not signed in
    client.force_login(
        django_user_model.objects.create(username="congdan", kind="citizen", full_name="Lê Thị Hoa")
    )
    page = page_of(client.get(SEARCH))
    assert "Lê Thị Hoa" in page and reverse("portal:my_dossiers") in page
    anonymous = page_of(Client().get(SEARCH))
    assert "Lê Thị Hoa" not in anonymous and reverse("portal:my_dossiers") not in anonymous


def test_each_visitor_gets_a_working_token_and_their_address(permit):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    path = "/thu-tuc/?q=cap+giay&level=province"
    pages = [page_of(visitor.get(path)) for visitor in (first, second)]
    tokens = [page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0] for page in pages]
    assert tokens[0] != tokens[1]
    assert f"?next={quote(path)}" in pages[1]
    assert (
        '<input name="next" type="hidden" value="/thu-tuc/?q=cap+giay&amp;level=province">'
        in (pages[1])
    )
    changed = second.post(
        "/i18n/setlang/", {"language": "en", "next": path, "csrfmiddlewaretoken": tokens[1]}
    )
    assert changed.status_code == 302


def test_a_waiting_message_is_shown_not_kept(client, permit):
    page_of(client.get(SEARCH))
    storage = CookieStorage(RequestFactory().get("/"))
    signed_out = Message(constants.INFO, "Đã đăng xuất.")
    client.cookies[storage.cookie_name] = storage._encode([signed_out])
    assert "Đã đăng xuất." in page_of(client.get(SEARCH))
    assert "Đã đăng xuất." not in page_of(Client().get(SEARCH))


def test_the_maintenance_banner_follows_its_notices(client, permit, admin_user):
    assert "maintenance" not in page_of(client.get(SEARCH))
    start = timezone.now() + timedelta(days=30)
    maintenance.announce(start, start + timedelta(hours=2), "Nâng cấp máy chủ", by=admin_user)
    assert "Nâng cấp máy chủ" in page_of(client.get(SEARCH))


# The status lookup -------------------------------------------------------------------------


def status_label(status):
    with translation.override("vi"):
        return str(Status(status).label)


def test_the_lookup_shows_a_status_change_at_once(client, world):
    dossier = new_dossier(world)
    path = f"/tra-cuu/{dossier.code}/"
    assert f'id="status">{status_label(Status.SUBMITTED)}<' in page_of(client.get(path))
    dossier = services.receive(dossier, world.desk_officer, at=at("2026-03-02T10:00:00+07:00"))
    page = page_of(client.get(path))
    assert f'id="status">{status_label(dossier.status)}<' in page
    assert "10:00 02/03/2026" in page  # received
    assert "no-cache" in client.get(path)["Cache-Control"]


def test_a_lookup_is_one_query_and_shows_only_its_dossier(client, world, django_assert_num_queries):
    first, second = new_dossier(world), new_dossier(world)
    page_of(client.get(f"/tra-cuu/{first.code}/"))
    with django_assert_num_queries(1):
        page = page_of(client.get(f"/tra-cuu/{second.code}/"))
    assert second.code in page and first.code not in page
    assert f'value="{second.code}"' in page
    assert f"?next={quote(f'/tra-cuu/{second.code}/')}" in page


def test_an_unknown_code_is_printed_escaped(client, world):
    page_of(client.get("/tra-cuu/000.00.15.H06-260302-9999/"), 404)
    page = page_of(client.get("/tra-cuu/%3Cb%3Ex%22/"), 404)
    assert "&lt;b&gt;x&quot;" in page and "<b>x" not in page
