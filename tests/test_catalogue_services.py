"""Catalogue rules: reorganising agencies (SPEC §1) and versioned processes."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from motcua.catalogue import services
from motcua.catalogue.forms_schema import FormSchemaError, validate_form_schema
from motcua.catalogue.models import (
    Agency,
    AgencyEvent,
    OneStopDesk,
    ProcessStep,
    ProcessVersion,
    ProcessVersionLocked,
)
from motcua.catalogue.text import fold

from .factories import (
    AgencyFactory,
    ProcedureFactory,
    ProcessStepFactory,
    ProcessVersionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_fold_removes_vietnamese_diacritics():
    assert fold("Cấp Giấy phép xây dựng  ĐỐI VỚI nhà ở") == "cap giay phep xay dung doi voi nha o"


class TestAgencies:
    def test_create_and_rename_are_recorded(self):
        agency = services.create_agency(
            Agency(code="000.00.15.H06", name="Sở Tư pháp", level=Agency.Level.DEPARTMENT)
        )
        services.rename_agency(agency, "Sở Tư pháp tỉnh Bắc Ninh", decision="QĐ 1/2025")
        agency.refresh_from_db()
        assert agency.name == "Sở Tư pháp tỉnh Bắc Ninh"
        events = list(agency.events.values_list("kind", "old_name", "new_name"))
        assert events == [
            ("created", "", "Sở Tư pháp"),
            ("renamed", "Sở Tư pháp", "Sở Tư pháp tỉnh Bắc Ninh"),
        ]

    def test_invalid_code_is_refused(self):
        with pytest.raises(ValidationError):
            services.create_agency(Agency(code="so tu phap", name="X", level="department"))
        assert not Agency.objects.exists()

    def test_merge_carries_work_over_and_keeps_the_source(self):
        province = AgencyFactory(level=Agency.Level.PROVINCE)
        source = AgencyFactory(parent=province, level=Agency.Level.DISTRICT)
        target = AgencyFactory(parent=province, level=Agency.Level.COMMUNE)
        unit = AgencyFactory(parent=source, level=Agency.Level.UNIT)
        desk = OneStopDesk.objects.create(name="Bộ phận Một cửa", agency=source)
        desk.served_agencies.add(source)
        procedure = ProcedureFactory(agencies=[source])
        officer = UserFactory(kind="staff", role="specialist", agency=source)
        calls = []
        services.register_merge_handler(
            "probe", lambda s, t, actor: calls.append((s.pk, t.pk)) or {"moved": 0}
        )
        try:
            event = services.merge_agency(source, target, decision="NQ 1/2025/UBTVQH15")
        finally:
            services._merge_handlers.pop("probe")

        source.refresh_from_db()
        assert source.status == Agency.Status.MERGED
        assert source.merged_into == target
        assert source.successor() == target
        unit.refresh_from_db()
        officer.refresh_from_db()
        desk.refresh_from_db()
        assert unit.parent == target
        assert officer.agency == target
        assert desk.agency == target
        assert list(desk.served_agencies.all()) == [target]
        assert list(procedure.agencies.all()) == [target]
        assert calls == [(source.pk, target.pk)]
        assert event.kind == AgencyEvent.Kind.MERGED
        assert event.details["units"] == 1
        assert event.details["probe"] == {"moved": 0}
        assert Agency.objects.filter(pk=source.pk).exists()  # never deleted

    @pytest.mark.parametrize("case", ["self", "inactive", "into_own_unit"])
    def test_refused_merges_change_nothing(self, case):
        source = AgencyFactory()
        target = {
            "self": lambda: source,
            "inactive": lambda: AgencyFactory(status=Agency.Status.CLOSED),
            "into_own_unit": lambda: AgencyFactory(parent=source, level="unit"),
        }[case]()
        with pytest.raises(ValidationError):
            services.merge_agency(source, target)
        source.refresh_from_db()
        assert source.status == Agency.Status.ACTIVE
        assert not AgencyEvent.objects.filter(kind="merged").exists()

    def test_close_only_an_agency_without_work(self):
        agency = AgencyFactory()
        ProcedureFactory(agencies=[agency])
        with pytest.raises(ValidationError) as error:
            services.close_agency(agency)
        assert error.value.code == "has_work"
        empty = AgencyFactory()
        services.close_agency(empty)
        empty.refresh_from_db()
        assert empty.status == Agency.Status.CLOSED
        with pytest.raises(ValidationError):
            services.rename_agency(empty, "Tên mới")


class TestProcessVersions:
    def test_steps_must_fit_the_processing_time(self):
        """5 working days allow 40 working hours on the default sessions."""
        version = ProcessVersionFactory(procedure=ProcedureFactory(processing_days=Decimal(5)))
        ProcessStepFactory(version=version, allotted_hours=Decimal(24))
        ProcessStepFactory(version=version, allotted_hours=Decimal("16.5"))
        with pytest.raises(ValidationError) as error:
            services.publish_process_version(version)
        assert error.value.code == "process_too_long"
        assert tuple(error.value.params[k] for k in ("total", "capacity", "days")) == (
            "40.5",
            "40",
            "5",
        )
        version.refresh_from_db()
        assert version.status == ProcessVersion.Status.DRAFT

    def test_a_process_needs_steps(self):
        with pytest.raises(ValidationError) as error:
            services.publish_process_version(ProcessVersionFactory())
        assert error.value.code == "no_steps"

    def test_publishing_retires_the_previous_version_and_locks_it(self):
        procedure = ProcedureFactory()
        first = ProcessVersionFactory(procedure=procedure, number=1)
        ProcessStepFactory(version=first, allotted_hours=Decimal(8))
        services.publish_process_version(first)
        assert procedure.current_process() == first

        draft = services.draft_next_version(procedure)
        assert draft.number == 2
        assert list(draft.steps.values_list("allotted_hours", flat=True)) == [Decimal(8)]
        step = draft.steps.get()
        step.allotted_hours = Decimal(16)
        step.save()
        services.publish_process_version(draft)

        first.refresh_from_db()
        assert first.status == ProcessVersion.Status.RETIRED
        assert procedure.current_process() == draft
        # A running dossier keeps version 1 exactly as it was.
        old_step = first.steps.get()
        assert old_step.allotted_hours == Decimal(8)
        old_step.allotted_hours = Decimal(1)
        with pytest.raises(ProcessVersionLocked):
            old_step.save()
        with pytest.raises(ProcessVersionLocked):
            ProcessStep(
                version=draft, order=9, name="X", role="clerk", allotted_hours=Decimal(1)
            ).save()
        with pytest.raises(ValidationError) as error:
            services.publish_process_version(draft)
        assert error.value.code == "process_version_not_draft"

    def test_an_agency_may_have_its_own_version(self):
        procedure = ProcedureFactory()
        commune = AgencyFactory(level="commune")
        general = ProcessVersionFactory(procedure=procedure, number=1)
        ProcessStepFactory(version=general)
        services.publish_process_version(general)
        own = services.draft_next_version(procedure, agency=commune)
        assert own.number == 1  # numbered within its scope
        services.publish_process_version(own)
        general.refresh_from_db()
        assert general.status == ProcessVersion.Status.PUBLISHED
        assert procedure.current_process(commune) == own
        assert procedure.current_process(AgencyFactory()) == general

    def test_a_handoff_names_its_agency(self):
        step = ProcessStepFactory.build(version=ProcessVersionFactory(), is_handoff=True, unit=None)
        with pytest.raises(ValidationError) as error:
            step.full_clean()
        assert list(error.value.message_dict) == ["unit"]


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"fields": [{"name": "x", "label": "X", "type": "colour"}]}, "colour"),
        ({"fields": [{"name": "X y", "label": "X", "type": "text"}]}, "does not match"),
        ({"fields": [{"name": "x", "label": "X", "type": "select"}]}, "choices"),
        ({"fields": [{"name": "x", "label": "X", "type": "text", "choices": ["a"]}]}, "fields/0"),
        ({"fields": [{"name": "x", "label": "X", "type": "text"}] * 2}, "duplicate"),
        ({"field": []}, "Additional properties"),
    ],
)
def test_form_schema_is_validated(schema, message):
    with pytest.raises(FormSchemaError, match=message):
        validate_form_schema(schema)


def test_procedure_clean_reports_the_form_schema():
    procedure = ProcedureFactory.build(form_schema={"fields": [{"name": "x"}]})
    with pytest.raises(ValidationError) as error:
        procedure.full_clean(exclude=["field"])
    assert "form_schema" in error.value.message_dict
