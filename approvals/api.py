"""Queue and audit endpoints under /api/: the same selectors and services as the pages."""

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from enterprises.models import User
from steplog.evidence import EvidenceError, evidence_bundle_build, evidence_subject
from steplog.models import ChainVerification, Step
from steplog.signing import fingerprint, public_key_pem

from .actions import action_label
from .filters import StepFilter
from .models import QueueTask
from .queues import case_url, kind_label
from .selectors import (
    chain_status,
    queue_for_user,
    queue_mine,
    queue_overdue,
    step_list,
    user_can_audit,
    visible_q,
)
from .services.audit import chain_verification_request
from .services import queue_task_claim, queue_task_reassign, queue_task_release


class QueueTaskSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    jurisdiction = serializers.CharField(source="jurisdiction.code", default=None, read_only=True, allow_null=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    claimed_by = serializers.CharField(source="claimed_by.username", default=None, read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()
    escalated = serializers.SerializerMethodField()
    case_url = serializers.SerializerMethodField()

    class Meta:
        model = QueueTask
        fields = [
            "id", "kind", "kind_label", "role", "jurisdiction", "enterprise", "enterprise_name", "case_type",
            "case_id", "case_url", "title", "status", "claimed_by", "created_at", "claimed_at", "due_on",
            "due_provisional", "overdue", "escalated",
        ]

    def get_kind_label(self, task) -> str:
        return str(kind_label(task.kind))

    def get_overdue(self, task) -> bool:
        return task.due_on is not None and task.due_on < timezone.localdate()

    def get_escalated(self, task) -> bool:
        return task.escalated_at is not None

    def get_case_url(self, task) -> str:
        return case_url(task)


class ReassignSerializer(serializers.Serializer):
    to = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True))


class QueueTaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The user's queue (``?tab=open|mine|overdue``, ``?kind=``); claim, release, and reassign (administrators)."""

    serializer_class = QueueTaskSerializer
    filter_backends = []

    def get_queryset(self):
        if self.action != "list":
            # Claiming a decided task must answer "already decided", not 404.
            return QueueTask.objects.filter(visible_q(self.request.user))
        tasks = queue_for_user(user=self.request.user, kind=self.request.query_params.get("kind") or None)
        tab = self.request.query_params.get("tab")
        if tab == "mine":
            return queue_mine(tasks, self.request.user)
        return queue_overdue(tasks) if tab == "overdue" else tasks

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        task = queue_task_claim(queue_task=self.get_object(), by=request.user)
        return Response(self.get_serializer(task).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        task = queue_task_release(queue_task=self.get_object(), by=request.user)
        return Response(self.get_serializer(task).data)

    @extend_schema(request=ReassignSerializer, responses=QueueTaskSerializer)
    @action(detail=True, methods=["post"], serializer_class=ReassignSerializer)
    def reassign(self, request, pk=None):
        body = ReassignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        task = queue_task_reassign(queue_task=self.get_object(), to=body.validated_data["to"], by=request.user)
        return Response(QueueTaskSerializer(task).data)


class IsAuditor(permissions.BasePermission):
    def has_permission(self, request, view):
        return user_can_audit(request.user)


class StepSerializer(serializers.ModelSerializer):
    action_label = serializers.SerializerMethodField()

    class Meta:
        model = Step
        fields = [
            "seq", "created_at", "actor", "actor_name", "actor_role", "actor_jurisdiction", "object_type",
            "object_id", "enterprise", "jurisdiction", "action", "action_label", "state_before", "state_after",
            "comment", "request_id", "client_ip", "data", "prev_hash", "hash",
        ]

    def get_action_label(self, step) -> str:
        return str(action_label(step.action))


class StepCursorPagination(CursorPagination):
    ordering = "-seq"
    page_size = 50


class StepViewSet(viewsets.ReadOnlyModelViewSet):
    """The step log for auditors, newest first, with the same filters as the audit page."""

    serializer_class = StepSerializer
    permission_classes = [IsAuditor]
    filterset_class = StepFilter
    pagination_class = StepCursorPagination
    lookup_field = "seq"

    def get_queryset(self):
        return step_list(user=self.request.user).select_related(None)


@extend_schema_serializer(many=False)  # GET audit/status/ answers one object, not a list
class ChainStatusSerializer(serializers.Serializer):
    head_seq = serializers.IntegerField()
    unverified = serializers.IntegerField()
    verified_at = serializers.DateTimeField(source="last.verified_at", default=None, allow_null=True)
    ok = serializers.BooleanField(source="last.ok", default=None, allow_null=True)
    verified_seq = serializers.IntegerField(source="last.verified_seq", default=None, allow_null=True)
    broken_seq = serializers.IntegerField(source="last.broken_seq", default=None, allow_null=True)
    reason = serializers.CharField(source="last.reason", default="")


class AuditStatusViewSet(viewsets.GenericViewSet):
    """GET: verified up to step N at time T. POST: verify now (queued; immediate without a broker)."""

    permission_classes = [IsAuditor]
    serializer_class = ChainStatusSerializer
    pagination_class = None
    queryset = ChainVerification.objects.none()  # for the schema; the status comes from chain_status()

    def list(self, request):
        return Response(ChainStatusSerializer(chain_status()).data)

    @extend_schema(request=None, responses={202: inline_serializer("ChainVerificationQueued", {"queued": serializers.BooleanField()})})
    def create(self, request):
        if not chain_verification_request(by=request.user):
            raise TaskQueueUnavailable()
        return Response({"queued": True}, status=202)


class TaskQueueUnavailable(APIException):
    status_code = 503
    default_code = "service_unavailable"
    default_detail = gettext_lazy("The verification did not start: the task queue cannot be reached. Try again in a few minutes.")


@extend_schema_serializer(many=False)  # GET audit/evidence/ answers one object, not a list
class SigningKeySerializer(serializers.Serializer):
    algorithm = serializers.CharField()
    fingerprint = serializers.CharField(help_text="SHA-256 of the raw public key, hex")
    public_key = serializers.CharField(help_text="PEM, for tools/verify_bundle.py --public-key")


class EvidenceViewSet(viewsets.GenericViewSet):
    """GET: the bureau's public signing key. GET <object_type>/<object_id>/: the evidence bundle (zip) of a
    case, or of an enterprise's whole path (enterprises.enterprise/<id>/); each download is a step."""

    permission_classes = [IsAuditor]
    serializer_class = SigningKeySerializer
    pagination_class = None
    queryset = Step.objects.none()  # for the schema

    def list(self, request):
        return Response({"algorithm": "Ed25519", "fingerprint": fingerprint(), "public_key": public_key_pem()})

    @extend_schema(responses={(200, "application/zip"): OpenApiResponse(description="The evidence bundle")})
    @action(detail=False, methods=["get"], url_path=r"(?P<object_type>[a-z0-9_]+\.[a-z0-9_]+)/(?P<object_id>[^/.]+)")
    def bundle(self, request, object_type=None, object_id=None):
        try:
            bundle = evidence_bundle_build(
                subject=evidence_subject(object_type=object_type, object_id=object_id), by=request.user
            )
        except EvidenceError as error:
            raise NotFound(error.message) from None
        return FileResponse(bundle.file, as_attachment=True, filename=bundle.filename, content_type="application/zip")


router = SimpleRouter()
router.register("queue", QueueTaskViewSet, basename="queue")
router.register("audit/steps", StepViewSet, basename="audit-step")
router.register("audit/status", AuditStatusViewSet, basename="audit-status")
router.register("audit/evidence", EvidenceViewSet, basename="audit-evidence")
urlpatterns = router.urls
