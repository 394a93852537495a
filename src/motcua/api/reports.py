"""The statistics of settling procedures for machines (SPEC §3 items 18, 20): the same
figures as the back office's statistics page, for a data warehouse or the national
reporting system. Staff read what the reports' reader rule lets them read; a key with the
``reports:read`` scope reads its agency's sub-tree, or the province when it has no agency."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.apikeys.authentication import SignedInOrKeyScope, presented_key
from motcua.catalogue.models import Agency
from motcua.population.services import subtree_ids
from motcua.reports import readers, statistics
from motcua.reports.exports import leaves
from motcua.reports.periods import MONTHS_IN, Period

from .validation import RejectsNulCharacters


class StatisticsQuery(serializers.Serializer):
    period = serializers.ChoiceField(choices=list(MONTHS_IN), default="month")
    month = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        help_text="A reporting month of the period, YYYY-MM (default: the current one).",
    )
    agency = serializers.CharField(required=False, help_text="Agency code (default: your scope)")
    grouping = serializers.ChoiceField(choices=list(statistics.GROUPINGS), default="field")

    def validate_month(self, value: str) -> date:
        year, month = (int(part) for part in value.split("-"))
        if not 2000 <= year <= 2999:
            raise serializers.ValidationError(_("Choose a month from 2000 on."))
        return date(year, month, 1)


class PeriodSerializer(serializers.Serializer):
    kind = serializers.CharField()
    first_day = serializers.DateField()
    last_day = serializers.DateField()


class FiguresSerializer(serializers.Serializer):
    key = serializers.IntegerField(allow_null=True, help_text="Field, procedure or agency id")
    label = serializers.CharField()
    figures = serializers.DictField(child=serializers.FloatField(allow_null=True))


class StatisticsSerializer(serializers.Serializer):
    period = PeriodSerializer()
    agency = serializers.CharField(allow_null=True)
    grouping = serializers.CharField()
    taken_at = serializers.DateTimeField()
    rows = FiguresSerializer(many=True)
    total = serializers.DictField(child=serializers.FloatField(allow_null=True))


def _figures(row: statistics.Row) -> dict:
    return {leaf.key: leaf.value(row) for leaf in leaves()}


def _readable(request) -> tuple[set[int] | None, Agency | None]:
    """The agency ids the caller reads (None: every one) and the scope shown by default."""
    key = presented_key(request)
    if key is not None:
        if key.agency_id is None:
            return None, None
        return subtree_ids(key.agency), key.agency
    if not readers.may_read(request.user):
        raise PermissionDenied()
    return readers.readable_ids(request.user), readers.default_agency(request.user)


class StatisticsView(RejectsNulCharacters, APIView):
    """Received (carried over, new by channel), settled (early, on time, late), in progress
    (on track, overdue) and the rates, per field, procedure or agency, for a reporting
    period; months close on the profile's day."""

    permission_classes = [SignedInOrKeyScope]
    key_scope = "reports:read"

    @extend_schema(parameters=[StatisticsQuery], responses={200: StatisticsSerializer})
    def get(self, request):
        query = StatisticsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        readable, agency = _readable(request)
        if "agency" in params:
            agency = get_object_or_404(Agency, code=params["agency"])
        if readable is not None and (agency is None or agency.pk not in readable):
            raise PermissionDenied()
        if "month" in params:
            period = Period.of(params["period"], params["month"])
        else:
            period = Period.current(params["period"])
        report = statistics.report(period, agency=agency, grouping=params["grouping"])
        body = {
            "period": {
                "kind": params["period"],
                "first_day": period.start_day,
                "last_day": period.end_day,
            },
            "agency": agency.code if agency else None,
            "grouping": params["grouping"],
            "taken_at": report.taken_at,
            "rows": [
                {"key": row.key, "label": row.label, "figures": _figures(row)}
                for row in report.rows
            ],
            "total": _figures(report.total),
        }
        return Response(StatisticsSerializer(body).data)
