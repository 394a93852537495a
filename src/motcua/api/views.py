"""Public, read-only catalogue endpoints (SPEC §3 items 1, 20)."""

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from motcua.apikeys.authentication import PublicOrKeyScope
from motcua.catalogue.models import Agency, Field, Procedure
from motcua.catalogue.text import fold

from . import serializers
from .validation import RejectsNulCharacters


class AgencyViewSet(RejectsNulCharacters, viewsets.ReadOnlyModelViewSet):
    """The organisation tree; ``?parent=CODE`` lists one node's children."""

    permission_classes = [PublicOrKeyScope]
    key_scope = "catalogue:read"
    serializer_class = serializers.AgencySerializer
    cursor_ordering = ("code",)
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z.]+"

    def get_queryset(self):
        queryset = Agency.objects.select_related("parent", "merged_into")
        if parent := self.request.query_params.get("parent"):
            queryset = queryset.filter(parent__code=parent)
        return queryset


class FieldViewSet(RejectsNulCharacters, viewsets.ReadOnlyModelViewSet):
    permission_classes = [PublicOrKeyScope]
    key_scope = "catalogue:read"
    serializer_class = serializers.FieldSerializer
    queryset = Field.objects.all()
    cursor_ordering = ("code",)
    lookup_field = "code"


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Accent-insensitive search"),
            OpenApiParameter("field", OpenApiTypes.STR, description="Field code"),
            OpenApiParameter("level", OpenApiTypes.STR, enum=Procedure.Level.values),
            OpenApiParameter("online_level", OpenApiTypes.STR, enum=["full", "partial", "offline"]),
            OpenApiParameter("agency", OpenApiTypes.STR, description="Agency code"),
        ]
    )
)
class ProcedureViewSet(RejectsNulCharacters, viewsets.ReadOnlyModelViewSet):
    """Published procedures; search and filter by field, level, online level and agency."""

    permission_classes = [PublicOrKeyScope]
    key_scope = "catalogue:read"
    cursor_ordering = ("national_code",)
    lookup_field = "national_code"
    lookup_value_regex = r"[0-9.]+"

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.ProcedureListSerializer
        return serializers.ProcedureDetailSerializer

    def get_queryset(self):
        queryset = Procedure.objects.filter(is_active=True).select_related("field")
        if self.action != "list":
            return queryset.prefetch_related(
                Prefetch("agencies", Agency.objects.select_related("parent", "merged_into")),
                "fees",
                "components",
            )
        params = self.request.query_params
        if query := params.get("q"):
            for word in fold(query).split():
                queryset = queryset.filter(search_text__contains=word)
        if field := params.get("field"):
            queryset = queryset.filter(field__code=field)
        if level := params.get("level"):
            queryset = queryset.filter(level=level)
        if online_level := params.get("online_level"):
            queryset = queryset.filter(online_level=online_level)
        if agency := params.get("agency"):
            queryset = queryset.filter(agencies__code=agency)
        return queryset
