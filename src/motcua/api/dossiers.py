"""Dossier endpoints (SPEC §3 items 4, 20): public status lookup by code, and for signed-in
users: create, submit and act on dossiers and read their history."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.generics import RetrieveAPIView
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from motcua.accounts.models import User
from motcua.apikeys.authentication import (
    KeyAuthentication,
    KeyRateThrottle,
    PublicOrKeyScope,
    SignedInOrKeyScope,
    presented_key,
)
from motcua.apikeys.services import key_dossiers
from motcua.audit import services as audit
from motcua.calendar.services import calendar_for
from motcua.catalogue.models import Agency, Procedure
from motcua.dossiers import actions, deadlines, services
from motcua.dossiers.access import visible_dossiers
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.dossiers.workflow import ACTIONS
from motcua.postal.forms import recipient_from
from motcua.profiles import active_profile

from .validation import RejectsNulCharacters


class DossierActionFailed(APIException):
    """A :class:`DossierError` as an API error with its own code and status."""

    def __init__(self, error: DossierError):
        # Errors tied to fields are bad input (400); the others are refusals (403/409).
        self.status_code = 400 if error.fields else error.status
        self.fields = {k: [str(m) for m in v] for k, v in error.fields.items()}
        super().__init__(detail=error.message, code=error.code)


class LookupSerializer(serializers.ModelSerializer):
    """Status and dates only: no personal data (BN 14.6, HG 8)."""

    procedure = serializers.CharField(source="procedure.name")
    agency = serializers.CharField(source="agency.name")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Dossier
        fields = [
            "code",
            "procedure",
            "agency",
            "status",
            "status_label",
            "submitted_at",
            "received_at",
            "due_at",
            "result_ready_at",
            "finished_at",
        ]


class LookupThrottle(AnonRateThrottle):
    scope = "lookup"

    def get_cache_key(self, request, view):
        """Per address; a caller with a key has the key's own limit instead."""
        return None if presented_key(request) else super().get_cache_key(request, view)


class LookupView(RejectsNulCharacters, RetrieveAPIView):
    """Public status lookup by dossier code (or the receipt's QR, which carries it)."""

    permission_classes = [PublicOrKeyScope]
    authentication_classes = [KeyAuthentication]
    throttle_classes = [KeyRateThrottle, LookupThrottle]
    key_scope = "lookup"
    serializer_class = LookupSerializer
    lookup_field = "code"
    queryset = Dossier.objects.exclude(code=None).select_related("procedure", "agency")


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = DossierEvent
        fields = ["action", "from_status", "to_status", "at", "actor", "reason", "data"]

    def get_actor(self, event) -> str | None:
        """Staff are named by role and agency; applicants only as such."""
        actor = event.actor
        if actor is None:
            return None
        if actor.kind == User.Kind.STAFF:
            return f"{actor.get_role_display()} — {actor.agency}"
        return "applicant"


class DossierSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    procedure = serializers.SlugRelatedField(
        slug_field="national_code", queryset=Procedure.objects.filter(is_active=True)
    )
    agency = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.filter(status="active"), required=False
    )
    on_behalf_of = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.exclude(kind=User.Kind.STAFF),
        required=False,
        write_only=True,
    )
    form_data = serializers.JSONField(required=False)
    progress = serializers.SerializerMethodField()
    current_step = serializers.IntegerField(
        source="current_step.order", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Dossier
        fields = [
            "id",
            "code",
            "procedure",
            "agency",
            "channel",
            "status",
            "form_data",
            "authorisation",
            "on_behalf_of",
            "submitted_at",
            "reception_due_at",
            "received_at",
            "due_at",
            "original_due_at",
            "paused_at",
            "result_ready_at",
            "finished_at",
            "timeliness",
            "supplement_count",
            "extension_count",
            "fee_paid_at",
            "current_step",
            "progress",
            "created_at",
        ]
        read_only_fields = [
            f
            for f in fields
            if f not in {"procedure", "agency", "form_data", "authorisation", "on_behalf_of"}
        ]
        # Blank until the dossier is finished.
        extra_kwargs = {"timeliness": {"allow_blank": True}}

    def get_progress(self, dossier) -> str | None:
        """On track, due soon or overdue while the clock runs (empty otherwise)."""
        if dossier.status != Status.PROCESSING or dossier.clock_started_at is None:
            return None
        profile = active_profile()
        return deadlines.classify_open(
            timezone.now(), dossier.due_at, profile.monitoring.due_soon, calendar_for(profile)
        )


class ActionSerializer(serializers.Serializer):
    """Parameters of an action; each action reads the ones it needs."""

    reason = serializers.CharField(required=False, allow_blank=True, default="")
    items = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    apology = serializers.CharField(required=False, allow_blank=True, default="")
    apology_signer = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(kind=User.Kind.STAFF),
        required=False,
        default=None,
    )
    new_due_at = serializers.DateTimeField(required=False)
    form_data = serializers.JSONField(required=False)
    method = serializers.ChoiceField(choices=["desk", "post", "online"], default="desk")
    originals_checked = serializers.BooleanField(default=False)
    # By post: the tracking number of an item posted by hand, or the recipient to book for.
    tracking_number = serializers.CharField(required=False, allow_blank=True, default="")
    recipient_name = serializers.CharField(required=False, allow_blank=True, default="")
    recipient_address = serializers.CharField(required=False, allow_blank=True, default="")
    recipient_phone = serializers.CharField(required=False, allow_blank=True, default="")


#: Actions the API offers (scheduled ones — timeout, expire — are the system's).
API_ACTIONS = [a for a in ACTIONS if a not in {"timeout", "expire"}]


class DossierViewSet(
    RejectsNulCharacters,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Dossiers the signed-in user may see: their own, or their agency's for staff."""

    permission_classes = [SignedInOrKeyScope]
    key_scope = "dossiers:read"
    serializer_class = DossierSerializer
    lookup_field = "public_id"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Dossier.objects.none()
        if key := presented_key(self.request):
            return key_dossiers(key).select_related("procedure", "agency", "current_step")
        return visible_dossiers(self.request.user).select_related(
            "procedure", "agency", "current_step"
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        user = self.request.user
        applicant = data.get("on_behalf_of") or user
        try:
            serializer.instance = services.create_draft(
                data["procedure"],
                applicant=applicant,
                submitter=user,
                agency=data.get("agency"),
                form_data=data.get("form_data"),
                authorisation=data.get("authorisation", ""),
            )
        except DossierError as error:
            raise DossierActionFailed(error) from None

    def retrieve(self, request, *args, **kwargs):
        dossier = self.get_object()
        audit.record(None, "api.dossier.read", dossier, request=request)
        return Response(self.get_serializer(dossier).data)

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, pagination_class=None)
    def history(self, request, public_id=None):
        dossier = self.get_object()
        events = dossier.events.select_related("actor__agency").order_by("id")
        return Response(EventSerializer(events, many=True).data)

    @extend_schema(
        request=ActionSerializer,
        responses={200: DossierSerializer, 409: OpenApiResponse(description="Refused")},
    )
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_name>[a-z_]+)")
    def act(self, request, public_id=None, action_name=None):
        """Perform a lifecycle action: ``submit``, ``receive``, ``request_supplement`` …"""
        if action_name not in API_ACTIONS:
            return Response(
                {
                    "error": {
                        "code": "unknown_action",
                        "message": f"Unknown action {action_name}",
                        "fields": {"action": API_ACTIONS},
                    }
                },
                status=status.HTTP_404_NOT_FOUND,
            )
        dossier = get_object_or_404(visible_dossiers(request.user), public_id=public_id)
        params = ActionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        try:
            data = {**params.validated_data, "recipient": recipient_from(params.validated_data)}
            dossier = actions.perform(action_name, dossier, request.user, data)
        except DossierError as error:
            raise DossierActionFailed(error) from None
        return Response(DossierSerializer(dossier).data)
