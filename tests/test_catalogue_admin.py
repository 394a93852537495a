"""Catalogue administration goes through the services (SPEC §3 item 17)."""

from datetime import date
from decimal import Decimal

import pytest

from motcua.calendar.models import CalendarOverride
from motcua.catalogue.models import Agency, ProcessVersion

from .factories import AgencyFactory, ProcedureFactory, ProcessStepFactory, ProcessVersionFactory

pytestmark = pytest.mark.django_db


def test_creating_and_renaming_an_agency_is_recorded(admin_client, admin_user):
    response = admin_client.post(
        "/admin/catalogue/agency/add/",
        {
            "code": "000.00.15.H06",
            "name": "Sở Tư pháp",
            "level": "department",
            "events-TOTAL_FORMS": 0,
            "events-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content
    agency = Agency.objects.get(code="000.00.15.H06")
    response = admin_client.post(
        f"/admin/catalogue/agency/{agency.pk}/change/",
        {
            "code": agency.code,
            "name": "Sở Tư pháp tỉnh Bắc Ninh",
            "level": "department",
            "events-TOTAL_FORMS": 1,
            "events-INITIAL_FORMS": 1,
            "events-0-id": agency.events.get().pk,
            "events-0-agency": agency.pk,
        },
    )
    assert response.status_code == 302, response.content
    events = list(agency.events.values_list("kind", "old_name", "new_name", "recorded_by"))
    assert events == [
        ("created", "", "Sở Tư pháp", admin_user.pk),
        ("renamed", "Sở Tư pháp", "Sở Tư pháp tỉnh Bắc Ninh", admin_user.pk),
    ]


def test_agencies_cannot_be_deleted(admin_client):
    agency = AgencyFactory()
    response = admin_client.post(f"/admin/catalogue/agency/{agency.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Agency.objects.filter(pk=agency.pk).exists()


def test_bad_agency_code_is_a_form_error(admin_client):
    response = admin_client.post(
        "/admin/catalogue/agency/add/",
        {
            "code": "sở tư pháp",
            "name": "X",
            "level": "department",
            "events-TOTAL_FORMS": 0,
            "events-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["code"]
    assert not Agency.objects.exists()


def test_publish_action_reports_a_process_that_does_not_fit(admin_client):
    version = ProcessVersionFactory(procedure=ProcedureFactory(processing_days=Decimal(1)))
    ProcessStepFactory(version=version, allotted_hours=Decimal(9))
    response = admin_client.post(
        "/admin/catalogue/processversion/",
        {"action": "publish", "_selected_action": [version.pk]},
        follow=True,
    )
    assert "9 working hours" in response.content.decode() or "9 giờ" in response.content.decode()
    version.refresh_from_db()
    assert version.status == ProcessVersion.Status.DRAFT


def test_a_published_version_is_read_only(admin_client):
    version = ProcessVersionFactory()
    ProcessStepFactory(version=version)
    admin_client.post(
        "/admin/catalogue/processversion/",
        {"action": "publish", "_selected_action": [version.pk]},
    )
    version.refresh_from_db()
    assert version.status == ProcessVersion.Status.PUBLISHED
    page = admin_client.get(f"/admin/catalogue/processversion/{version.pk}/change/")
    inline = page.context["inline_admin_formsets"][0]
    assert not inline.has_add_permission and not inline.has_change_permission
    delete = admin_client.post(
        f"/admin/catalogue/processversion/{version.pk}/delete/", {"post": "yes"}
    )
    assert delete.status_code == 403


def test_calendar_override_records_who_made_it(admin_client, admin_user):
    response = admin_client.post(
        "/admin/workcalendar/calendaroverride/add/",
        {"day": "02/03/2026", "kind": "day_off", "reason": "Nghỉ bù bão lũ"},
    )
    assert response.status_code == 302, response.content
    override = CalendarOverride.objects.get()
    assert (override.day, override.created_by) == (date(2026, 3, 2), admin_user)
