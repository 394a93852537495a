import pytest
from django.urls import NoReverseMatch, reverse

from .factories import FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def test_home_page_in_vietnamese_by_default(client):
    """The Portal's home page (portal:home) is the site's front page."""
    ProcedureFactory(field=FieldFactory(name="Hộ tịch"))
    assert reverse("portal:home") == "/"
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="vi">' in page
    assert "Hộ tịch" in page
    assert "Bắc Ninh" in page
    assert 'action="/thu-tuc/"' in page


def test_lookup_moved_to_the_portal_at_the_printed_address():
    """Receipts' QR codes point at /tra-cuu/<code>/: the Portal serves it now."""
    assert reverse("portal:lookup") == "/tra-cuu/"
    assert reverse("portal:lookup_code", args=["X-1"]) == "/tra-cuu/X-1/"
    for old_name in ("home", "lookup", "lookup_code"):
        with pytest.raises(NoReverseMatch):
            reverse(old_name)


def test_english_is_available(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Administrative procedure information system of Bắc Ninh" in page


def test_health(client):
    assert client.get("/healthz").json() == {"status": "ok", "profile": "bac-ninh"}


def test_admin_speaks_vietnamese(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert "Quản trị" in page or "Cơ quan" in page


def test_vietnamese_even_when_the_browser_asks_for_english(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page
