"""factory-boy factories for the catalogue and accounts."""

from decimal import Decimal

import factory

from motcua.accounts.models import Role, User
from motcua.catalogue.models import (
    Agency,
    Component,
    Fee,
    Field,
    Procedure,
    ProcessStep,
    ProcessVersion,
)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"000.00.{n:02d}.H06")
    name = factory.Sequence(lambda n: f"Sở số {n}")
    level = Agency.Level.DEPARTMENT


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field

    code = factory.Sequence(lambda n: f"F{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure
        skip_postgeneration_save = True

    national_code = factory.Sequence(lambda n: f"1.{n:06d}")
    name = factory.Sequence(lambda n: f"Cấp giấy phép số {n}")
    field = factory.SubFactory(FieldFactory)
    level = Procedure.Level.PROVINCE
    online_level = "full"
    processing_days = Decimal("5")
    applicant_kinds = factory.LazyFunction(lambda: ["citizen"])
    result_type = "Giấy phép"
    legal_basis = "Luật số 01/2020/QH14"

    @factory.post_generation
    def agencies(self, create, extracted, **kwargs):
        if create:
            self.agencies.set(extracted or [AgencyFactory()])


class FeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fee

    procedure = factory.SubFactory(ProcedureFactory)
    name = "Lệ phí"
    amount = 50000


class ComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Component

    procedure = factory.SubFactory(ProcedureFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = "Tờ khai"
    formats = factory.LazyFunction(lambda: ["pdf"])


class ProcessVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessVersion

    procedure = factory.SubFactory(ProcedureFactory)
    number = factory.Sequence(lambda n: n + 1)


class ProcessStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessStep

    version = factory.SubFactory(ProcessVersionFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = "Thẩm định hồ sơ"
    role = Role.SPECIALIST
    allotted_hours = Decimal("8")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    kind = User.Kind.CITIZEN
