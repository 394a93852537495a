"""An agency administrator drafts the agency's own process version, edits a step and
publishes it (SPEC §3 item 17): new dossiers of the agency then follow it."""

from decimal import Decimal

import pytest

from motcua.accounts.models import User
from motcua.catalogue.models import ProcessVersion

from .test_backoffice_journey import sign_in


@pytest.mark.django_db(transaction=True)
def test_admin_drafts_edits_and_publishes_a_process_version(live_server, page, world):
    admin = User.objects.create(
        username="quantri", kind=User.Kind.STAFF, role="agency_admin", agency=world.department
    )
    sign_in(page, live_server.url, admin)
    page.click("header nav a[href='/noi-bo/cau-hinh/']")
    page.click("#config-sections a[href='/noi-bo/cau-hinh/thu-tuc/']")
    page.click(f"#procedures a[href='/noi-bo/cau-hinh/thu-tuc/{world.permit.pk}/quy-trinh/']")
    page.click("#draft-form button[type=submit]")
    page.wait_for_selector("#version-status[data-status=draft]")
    assert "Đã tạo bản nháp phiên bản 1." in page.inner_text(".messages")

    page.fill("#id_steps-1-name", "Thẩm định hồ sơ và xác minh")
    page.fill("#id_steps-1-allotted_hours", "12")
    page.click("#steps-form button[type=submit]")
    page.wait_for_selector(".messages .success")
    assert page.input_value("#id_steps-1-name") == "Thẩm định hồ sơ và xác minh"
    assert "33 trên 40" in page.inner_text("#version-hours")

    page.click("#publish-form button[type=submit]")
    page.wait_for_selector("#version-status[data-status=published]")
    assert "Đã công bố phiên bản 1." in page.inner_text(".messages")
    assert "Thẩm định hồ sơ và xác minh" in page.inner_text("#steps")
    assert page.locator("#steps-form").count() == 0

    version = ProcessVersion.objects.get(agency=world.department)
    assert (version.status, version.published_by) == ("published", admin)
    step = version.steps.get(order=2)
    assert (step.name, step.allotted_hours) == ("Thẩm định hồ sơ và xác minh", Decimal("12"))
    assert world.permit.current_process(world.department) == version
