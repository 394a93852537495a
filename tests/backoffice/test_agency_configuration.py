"""Configuration by an agency administrator (SPEC §3 item 17): the agency's units, its
procedures' documents, fees and e-form, and its process versions; never another agency's."""

import json
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied

from motcua.accounts.models import User
from motcua.catalogue import services
from motcua.catalogue.models import Agency, AgencyEvent, Component, ProcessStep, ProcessVersion

CONFIG = "/noi-bo/cau-hinh"


def admin_of(agency, username="quantri"):
    return User.objects.create(
        username=username, kind=User.Kind.STAFF, role="agency_admin", agency=agency
    )


@pytest.fixture
def admin(world):
    return admin_of(world.department)


@pytest.fixture
def other_admin(world):
    return admin_of(world.commune, "quantri.xa")


def rows(prefix, items, *, initial=None):
    """POST data of a formset: the rows given, then one empty extra row."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(items) + 1),
        f"{prefix}-INITIAL_FORMS": str(len(items) if initial is None else initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, item in enumerate(items):
        for key, value in item.items():
            if value is True:
                value = "on"
            if value is False or value is None:
                continue
            data[f"{prefix}-{index}-{key}"] = value
    return data


def component_rows(procedure, **changes):
    return [
        {
            "id": c.pk,
            "order": c.order,
            "name": c.name,
            "required": c.required,
            "formats": c.formats,
            "max_size_mb": c.max_size_mb,
            **changes,
        }
        for c in procedure.components.all()
    ]


def step_rows(version):
    return [
        {
            "id": s.pk,
            "order": s.order,
            "name": s.name,
            "role": s.role,
            "unit": s.unit_id or "",
            "allotted_hours": str(s.allotted_hours),
            "is_handoff": s.is_handoff,
        }
        for s in version.steps.all()
    ]


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# -- who may configure -------------------------------------------------------------------------
def test_the_index_lists_what_an_agency_admin_configures(world, admin, signed_in):
    html = page(signed_in(admin).get(f"{CONFIG}/"))
    assert "Cấu hình" in html
    for href in ("/don-vi/", "/thu-tuc/", "/can-bo/"):
        assert f'href="{CONFIG}{href}"' in html
    assert f'href="{CONFIG}/lich/"' not in html
    operator = User.objects.create(
        username="vanhanh", kind=User.Kind.STAFF, role="system_operator", agency=world.province
    )
    html = page(signed_in(operator).get(f"{CONFIG}/"))
    assert f'href="{CONFIG}/lich/"' in html and f'href="{CONFIG}/don-vi/"' not in html


def test_list_pages_take_a_bounded_number_of_queries(
    world, admin, signed_in, django_assert_max_num_queries
):
    client = signed_in(admin)
    for code in range(10):
        services.create_unit(
            admin, parent=world.unit, code=f"000.15.01.{code:02d}", name=f"Tổ {code}"
        )
    with django_assert_max_num_queries(12):
        assert "Tổ 9" in page(client.get(f"{CONFIG}/don-vi/"))
    with django_assert_max_num_queries(12):
        assert world.permit.name in page(client.get(f"{CONFIG}/thu-tuc/"))


def test_other_roles_are_refused_every_page(world, signed_in):
    version = world.permit.current_process()
    urls = [
        f"{CONFIG}/",
        f"{CONFIG}/don-vi/",
        f"{CONFIG}/don-vi/{world.unit.pk}/",
        f"{CONFIG}/thu-tuc/",
        f"{CONFIG}/thu-tuc/{world.permit.pk}/",
        f"{CONFIG}/thu-tuc/{world.permit.pk}/quy-trinh/",
        f"{CONFIG}/quy-trinh/{version.pk}/",
    ]
    for user in (world.leader, world.monitor, world.desk_officer):
        client = signed_in(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
        assert (
            client.post(f"{CONFIG}/don-vi/{world.unit.pk}/", {"action": "close"}).status_code == 403
        )


def test_another_agencys_admin_finds_nothing(world, admin, other_admin, signed_in):
    draft = services.draft_agency_version(admin, world.permit, world.department)
    client = signed_in(other_admin)
    for url in (
        f"{CONFIG}/don-vi/{world.unit.pk}/",
        f"{CONFIG}/thu-tuc/{world.permit.pk}/",
        f"{CONFIG}/thu-tuc/{world.permit.pk}/quy-trinh/",
        f"{CONFIG}/quy-trinh/{draft.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            f"{CONFIG}/don-vi/{world.unit.pk}/", {"action": "close", "decision": "QĐ 1"}
        ).status_code
        == 404
    )
    assert client.post(f"{CONFIG}/quy-trinh/{draft.pk}/", {"action": "publish"}).status_code == 404
    html = page(client.get(f"{CONFIG}/thu-tuc/"))
    assert world.birth.name in html and world.permit.name not in html
    world.unit.refresh_from_db()
    draft.refresh_from_db()
    assert world.unit.is_active and draft.status == "draft"


# -- units -------------------------------------------------------------------------------------
def test_create_rename_and_close_a_unit(world, admin, signed_in):
    client = signed_in(admin)
    html = page(client.get(f"{CONFIG}/don-vi/"))
    assert "Phòng Hành chính tư pháp" in html
    response = client.post(
        f"{CONFIG}/don-vi/",
        {
            "parent": world.department.pk,
            "code": "000.15.02.H06",
            "name": "Phòng Bổ trợ tư pháp",
            "decision": "QĐ 12/QĐ-STP",
        },
    )
    assert response.status_code == 302
    unit = Agency.objects.get(code="000.15.02.H06")
    assert (unit.level, unit.parent, unit.status) == ("unit", world.department, "active")
    url = f"{CONFIG}/don-vi/{unit.pk}/"
    client.post(url, {"action": "rename", "new_name": "Phòng Bổ trợ tư pháp và Hộ tịch"})
    client.post(url, {"action": "close", "decision": "QĐ 20/QĐ-STP"})
    unit.refresh_from_db()
    assert unit.name == "Phòng Bổ trợ tư pháp và Hộ tịch" and unit.status == "closed"
    events = list(unit.events.values_list("kind", "recorded_by__username"))
    assert events == [("created", "quantri"), ("renamed", "quantri"), ("closed", "quantri")]
    assert "Đã giải thể" in page(client.get(url))


def test_bad_unit_input_shows_the_error_and_changes_nothing(world, admin, signed_in):
    client = signed_in(admin)
    html = page(
        client.post(
            f"{CONFIG}/don-vi/",
            {"parent": world.department.pk, "code": "phong moi", "name": "Phòng mới"},
        )
    )
    assert 'id="id_code-errors"' in html and 'aria-describedby="id_code-errors"' in html
    html = page(
        client.post(
            f"{CONFIG}/don-vi/",
            {"parent": world.commune.pk, "code": "H06.01.09", "name": "Tổ dân phố"},
        )
    )
    assert 'id="id_parent-errors"' in html
    # A unit with staff is not closed (its specialist still works there).
    html = page(
        client.post(
            f"{CONFIG}/don-vi/{world.unit.pk}/", {"action": "close", "decision": "QĐ 2/QĐ-STP"}
        )
    )
    assert "vẫn còn thủ tục hành chính hoặc cán bộ" in html and 'id="close-form-errors"' in html
    # The agency itself belongs to the province: not a unit the admin renames.
    response = client.post(
        f"{CONFIG}/don-vi/{world.department.pk}/", {"action": "rename", "new_name": "Sở mới"}
    )
    assert response.status_code == 404
    assert not Agency.objects.filter(code__in=["H06.01.09"]).exists()
    assert AgencyEvent.objects.count() == 0
    world.unit.refresh_from_db()
    world.department.refresh_from_db()
    assert world.unit.is_active and world.department.name == "Sở Tư pháp"


# -- procedures --------------------------------------------------------------------------------
def test_the_procedure_page_shows_national_data_read_only(world, admin, signed_in):
    html = page(signed_in(admin).get(f"{CONFIG}/thu-tuc/{world.permit.pk}/"))
    assert "1.000001" in html and "Luật số 01/2020/QH14" in html
    assert 'name="national_code"' not in html and 'name="legal_basis"' not in html
    assert 'id="components-form"' in html and 'id="fees-form"' in html
    assert "Loại trường: text, textarea, date" in html


def test_components_are_edited_reordered_and_added(world, admin, signed_in):
    permit = world.permit
    first = permit.components.get()
    second = Component.objects.create(
        procedure=permit, order=2, name="Bản sao CCCD", formats=["pdf"]
    )
    items = component_rows(permit)
    items[0]["order"], items[1]["order"] = 2, 1  # swap
    items[1]["formats"] = ["pdf", "jpg"]
    new = {"order": 3, "name": "Ảnh chân dung", "formats": ["jpg"], "max_size_mb": 2}
    data = {"section": "components", **rows("components", [*items, new], initial=2)}
    response = signed_in(admin).post(f"{CONFIG}/thu-tuc/{permit.pk}/", data)
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.order, second.order, second.formats) == (2, 1, ["pdf", "jpg"])
    added = permit.components.get(order=3)
    assert (added.name, added.required, added.max_size_mb) == ("Ảnh chân dung", False, 2)
    entry = LogEntry.objects.get(object_id=str(permit.pk))
    assert entry.user == admin
    assert {"added": {"name": "dossier component", "object": "Ảnh chân dung"}} in json.loads(
        entry.change_message
    )


def test_bad_component_rows_show_their_errors_and_change_nothing(world, admin, signed_in):
    permit = world.permit
    Component.objects.create(procedure=permit, order=2, name="Bản sao CCCD", formats=["pdf"])
    client = signed_in(admin)
    items = component_rows(permit, order=1)  # two rows with order 1
    items[0]["name"] = "Tờ khai đã sửa"
    html = page(
        client.post(
            f"{CONFIG}/thu-tuc/{permit.pk}/", {"section": "components", **rows("components", items)}
        )
    )
    assert "Một dòng khác đã có thứ tự 1" in html
    assert 'aria-describedby="id_components-1-order-errors"' in html
    items = component_rows(permit, formats=[])
    html = page(
        client.post(
            f"{CONFIG}/thu-tuc/{permit.pk}/", {"section": "components", **rows("components", items)}
        )
    )
    assert 'id="id_components-0-formats-errors"' in html
    assert list(permit.components.values_list("order", "name")) == [
        (1, "Tờ khai"),
        (2, "Bản sao CCCD"),
    ]
    assert not LogEntry.objects.exists()


def test_fees_are_edited(world, admin, signed_in):
    permit = world.permit
    fee = permit.fees.get()
    items = [
        {"id": fee.pk, "name": "Lệ phí", "amount": "150000"},
        {"name": "Phí thẩm định", "amount": "50000", "note": "Nộp khi nhận kết quả"},
    ]
    response = signed_in(admin).post(
        f"{CONFIG}/thu-tuc/{permit.pk}/", {"section": "fees", **rows("fees", items, initial=1)}
    )
    assert response.status_code == 302
    assert permit.total_fee == 200_000
    html = page(
        signed_in(admin).post(
            f"{CONFIG}/thu-tuc/{permit.pk}/",
            {"section": "fees", **rows("fees", [{"id": fee.pk, "name": "Lệ phí", "amount": "-1"}])},
        )
    )
    assert 'id="id_fees-0-amount-errors"' in html
    assert permit.total_fee == 200_000


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"fields": [', "Đây không phải JSON hợp lệ (dòng 1, cột 13)."),
        ("[]", "Lược đồ phải là một đối tượng JSON"),
        (
            '{"fields": [{"name": "ho_ten", "label": "Họ tên", "type": "chu"}]}',
            "Trường thứ 1 của biểu mẫu «type»: loại trường phải là một trong",
        ),
        (
            '{"fields": [{"name": "ho_ten", "type": "text"}]}',
            "Trường thứ 1 của biểu mẫu: thiếu thuộc tính «label»",
        ),
        (
            '{"fields": [{"name": "a", "label": "A", "type": "text"},'
            ' {"name": "a", "label": "B", "type": "text"}]}',
            "Hai trường của biểu mẫu có cùng tên.",
        ),
    ],
)
def test_a_bad_e_form_is_refused_in_vietnamese_on_the_field(world, admin, signed_in, text, message):
    before = world.permit.form_schema
    html = page(
        signed_in(admin).post(
            f"{CONFIG}/thu-tuc/{world.permit.pk}/", {"section": "form", "schema": text}
        )
    )
    assert message in html
    assert 'id="id_schema-errors"' in html
    assert 'aria-describedby="id_schema-errors id_schema-help"' in html
    world.permit.refresh_from_db()
    assert world.permit.form_schema == before


def test_a_valid_e_form_is_saved(world, admin, signed_in):
    schema = {
        "fields": [
            {"name": "ho_ten", "label": "Họ và tên", "type": "text", "required": True},
            {"name": "loai", "label": "Loại", "type": "select", "choices": ["Cấp mới", "Cấp lại"]},
        ]
    }
    response = signed_in(admin).post(
        f"{CONFIG}/thu-tuc/{world.permit.pk}/",
        {"section": "form", "schema": json.dumps(schema, ensure_ascii=False)},
    )
    assert response.status_code == 302
    world.permit.refresh_from_db()
    assert world.permit.form_schema == schema


def test_a_shared_procedure_is_configured_by_the_province(world, admin, signed_in):
    world.permit.agencies.add(world.commune)
    client = signed_in(admin)
    html = page(client.get(f"{CONFIG}/thu-tuc/{world.permit.pk}/"))
    assert 'id="shared-note"' in html and 'id="components-form"' not in html
    items = component_rows(world.permit, name="Đổi tên")
    client.post(
        f"{CONFIG}/thu-tuc/{world.permit.pk}/",
        {"section": "components", **rows("components", items)},
    )
    assert world.permit.components.get().name == "Tờ khai"
    with pytest.raises(PermissionDenied):
        services.configure_fees(admin, world.permit, [])


# -- process versions --------------------------------------------------------------------------
def test_draft_edit_and_publish_a_process_version(world, admin, signed_in):
    client = signed_in(admin)
    general = world.permit.current_process()
    response = client.post(
        f"{CONFIG}/thu-tuc/{world.permit.pk}/quy-trinh/", {"agency": world.department.pk}
    )
    draft = ProcessVersion.objects.get(agency=world.department)
    assert response.status_code == 302 and response["Location"] == f"{CONFIG}/quy-trinh/{draft.pk}/"
    assert (draft.number, draft.steps.count()) == (1, 5)
    items = step_rows(draft)
    items[1]["name"] = "Thẩm định hồ sơ"
    items[1]["allotted_hours"] = "12"
    response = client.post(
        f"{CONFIG}/quy-trinh/{draft.pk}/", {"action": "steps", **rows("steps", items)}
    )
    assert response.status_code == 302
    assert draft.steps.get(order=2).allotted_hours == Decimal("12")
    response = client.post(f"{CONFIG}/quy-trinh/{draft.pk}/", {"action": "publish"}, follow=True)
    assert "Đã công bố phiên bản 1." in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.published_by) == ("published", admin)
    assert world.permit.current_process(world.department) == draft
    assert world.permit.current_process() == general  # the general process is untouched
    # Published: its steps no longer change.
    items = step_rows(draft)
    items[0]["name"] = "Sửa sau khi công bố"
    html = page(
        client.post(f"{CONFIG}/quy-trinh/{draft.pk}/", {"action": "steps", **rows("steps", items)})
    )
    assert "không thể thay đổi nữa" in html
    assert draft.steps.get(order=1).name != "Sửa sau khi công bố"
    assert 'name="steps-0-name"' not in page(client.get(f"{CONFIG}/quy-trinh/{draft.pk}/"))


def test_an_over_long_process_is_not_published(world, admin, signed_in):
    client = signed_in(admin)
    draft = services.draft_agency_version(admin, world.permit, world.department)
    items = step_rows(draft)
    items[1]["allotted_hours"] = "30"  # 1 + 30 + 8 + 8 + 4 = 51 > 40 working hours
    client.post(f"{CONFIG}/quy-trinh/{draft.pk}/", {"action": "steps", **rows("steps", items)})
    html = page(client.post(f"{CONFIG}/quy-trinh/{draft.pk}/", {"action": "publish"}))
    assert 'id="publish-errors"' in html
    assert "Các bước xử lý cần 51 giờ làm việc" in html
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert world.permit.current_process(world.department).agency is None


def test_bad_steps_show_their_errors_and_change_nothing(world, admin, signed_in):
    client = signed_in(admin)
    draft = services.draft_agency_version(admin, world.permit, world.department)
    url = f"{CONFIG}/quy-trinh/{draft.pk}/"
    before = list(draft.steps.values_list("order", "name", "unit", "allotted_hours"))
    items = step_rows(draft)
    items[1]["unit"] = world.police.pk  # another agency, but not marked as a hand-off
    items[2]["allotted_hours"] = "0"
    html = page(client.post(url, {"action": "steps", **rows("steps", items)}))
    assert 'id="id_steps-2-allotted_hours-errors"' in html
    items[2]["allotted_hours"] = "8"
    html = page(client.post(url, {"action": "steps", **rows("steps", items)}))
    assert 'id="id_steps-1-unit-errors"' in html and "liên thông" in html
    items[1]["is_handoff"] = True
    items[1]["unit"] = world.unit.pk  # a hand-off to the agency's own unit
    html = page(client.post(url, {"action": "steps", **rows("steps", items)}))
    assert 'id="id_steps-1-unit-errors"' in html
    assert list(draft.steps.values_list("order", "name", "unit", "allotted_hours")) == before
    # One draft at a time.
    html = page(
        client.post(
            f"{CONFIG}/thu-tuc/{world.permit.pk}/quy-trinh/", {"agency": world.department.pk}
        )
    )
    assert 'id="draft-form-errors"' in html
    assert ProcessVersion.objects.filter(agency=world.department).count() == 1


def test_a_hand_off_step_is_added_and_a_step_removed(world, admin, signed_in):
    client = signed_in(admin)
    draft = services.draft_agency_version(admin, world.permit, world.department)
    items = step_rows(draft)
    items[4]["DELETE"] = True
    new = {
        "order": 6,
        "name": "Xác minh tại Công an tỉnh",
        "role": "specialist",
        "unit": world.police.pk,
        "allotted_hours": "4",
        "is_handoff": True,
    }
    response = client.post(
        f"{CONFIG}/quy-trinh/{draft.pk}/",
        {"action": "steps", **rows("steps", [*items, new], initial=5)},
    )
    assert response.status_code == 302
    steps = list(draft.steps.values_list("order", "unit", "is_handoff"))
    assert len(steps) == 5 and steps[-1] == (6, world.police.pk, True)
    assert not ProcessStep.objects.filter(version=draft, order=5).exists()
    html = page(client.get(f"{CONFIG}/thu-tuc/{world.permit.pk}/quy-trinh/"))
    assert "Bản nháp" in html and "Mọi cơ quan có thẩm quyền" in html


def test_a_row_of_another_procedure_cannot_be_slipped_in(world, admin, signed_in):
    foreign = world.birth.components.get()
    items = component_rows(world.permit)
    items[0]["id"] = foreign.pk
    items[0]["name"] = "Chiếm quyền"
    response = signed_in(admin).post(
        f"{CONFIG}/thu-tuc/{world.permit.pk}/",
        {"section": "components", **rows("components", items)},
    )
    assert response.status_code == 403
    foreign.refresh_from_db()
    assert foreign.name == "Tờ khai" and foreign.procedure == world.birth
