from rest_framework import serializers

from motcua.catalogue.models import Agency, Component, Fee, Field, Procedure


class AgencySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    merged_into = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "short_name",
            "level",
            "parent",
            "status",
            "merged_into",
            "closed_on",
            "address",
            "phone",
            "email",
        ]


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["code", "name"]


class FeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fee
        fields = ["name", "amount", "note"]


class ComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Component
        fields = [
            "order",
            "name",
            "required",
            "original_required",
            "copies",
            "formats",
            "max_size_mb",
        ]


class ProcedureListSerializer(serializers.ModelSerializer):
    field = FieldSerializer(read_only=True)

    class Meta:
        model = Procedure
        fields = ["national_code", "name", "field", "level", "online_level", "processing_days"]


class ProcedureDetailSerializer(ProcedureListSerializer):
    agencies = AgencySerializer(many=True, read_only=True)
    fees = FeeSerializer(many=True, read_only=True)
    components = ComponentSerializer(many=True, read_only=True)
    legal_basis = serializers.SerializerMethodField()

    class Meta(ProcedureListSerializer.Meta):
        fields = [
            *ProcedureListSerializer.Meta.fields,
            "processing_time_note",
            "agencies",
            "applicant_kinds",
            "result_type",
            "result_kind",
            "legal_basis",
            "fees",
            "components",
            "form_schema",
            "updated_at",
        ]

    def get_legal_basis(self, procedure) -> list[str]:
        return [line.strip() for line in procedure.legal_basis.splitlines() if line.strip()]
