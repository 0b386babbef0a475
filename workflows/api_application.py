"""/api/application-batches/, /api/applications/ and /api/expert-reviews/: the same selectors and services as the pages.

Batches: everyone signed in lists them (experts only those they were drawn for); the city
opens one with POST. Applications: scoped like the pages (experts read none); POST
starts a draft for the enterprise user, PATCH edits its statement, ``decide/<decision>/``
takes a decision, ``attachments/`` uploads a file (multipart). Expert reviews: an
expert's own, blind (no name, credit code or jurisdiction), scored with ``score/``.
Registered on this app's router in workflows.api.
"""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from enterprises.models import Tier

from .criteria import Kind
from .models import Application, ApplicationAttachment, ApplicationBatch, ExpertReview
from .selectors import application as selectors
from .services import application as services
from .services import expert_review as expert_services


class ApplicationBatchSerializer(serializers.ModelSerializer):
    tier = serializers.ChoiceField(choices=Tier.choices)
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.NEW)
    tier_label = serializers.CharField(source="get_tier_display", read_only=True)
    ruleset = serializers.StringRelatedField(read_only=True, help_text="the criteria in force on the opening date")
    name = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")

    class Meta:
        model = ApplicationBatch
        fields = ["id", "tier", "tier_label", "kind", "year", "name", "opens_on", "closes_on", "ruleset", "quota", "rubric",
                  "experts_per_application", "expert_draw_seed", "recommended_at", "recommendation", "results_closed_at"]
        read_only_fields = ["rubric", "expert_draw_seed", "recommended_at", "recommendation", "results_closed_at"]


class ApplicationBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                              viewsets.GenericViewSet):
    """Application batches (申报批次). POST opens one (city reviewers, administrators)."""

    serializer_class = ApplicationBatchSerializer
    filterset_fields = ["tier", "kind", "year"]

    def get_queryset(self):
        return selectors.batch_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.application_batch_open(by=self.request.user, **serializer.validated_data)


class ApplicationAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationAttachment
        fields = ["id", "name", "content_type", "size", "sha256", "uploaded_at"]
        read_only_fields = fields


class ApplicationAttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, JPG, PNG or XLSX (checked by content); 20 MB at most by default")


class ApplicationSerializer(serializers.ModelSerializer):
    batch = serializers.PrimaryKeyRelatedField(queryset=ApplicationBatch.objects.none())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    tier_label = serializers.CharField(source="get_tier_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    attachments = ApplicationAttachmentSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField(help_text="the decisions you may take now (decide/<decision>/)")

    class Meta:
        model = Application
        fields = ["id", "enterprise", "enterprise_name", "batch", "tier", "tier_label", "kind", "product", "statement",
                  "state", "state_label", "revision", "last_reason", "diagnosis_override_reason", "submitted_at",
                  "snapshot", "snapshot_sha256", "rank", "decided_on", "created_at", "attachments", "actions"]
        read_only_fields = [f for f in fields if f not in ("batch", "product", "statement")]
        validators = []  # one open application per tier is checked by the service, under a lock

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["batch"].queryset = selectors.batch_list(user=request.user)
        if isinstance(self.instance, Application):  # the batch is chosen once, when the draft starts
            self.fields["batch"].read_only = True

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, application) -> list[str]:
        request = self.context.get("request")
        return selectors.application_actions(application=application, user=request.user) if request else []


class ApplicationDecisionSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="",
                                 help_text="the comment, the reason (return, reject, withdraw) or the revised statement (resubmit)")


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Applications in your scope. POST starts a draft (enterprise users); PATCH edits the statement."""

    serializer_class = ApplicationSerializer
    filterset_fields = ["state", "tier", "batch"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.application_list(user=self.request.user).prefetch_related("attachments")

    def perform_create(self, serializer):
        user, data = self.request.user, serializer.validated_data
        serializer.instance = services.application_draft(
            enterprise=user.enterprise, batch=data["batch"], by=user, statement=data.get("statement", ""),
            product=data.get("product", ""),
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.application_update(
            application=serializer.instance, by=self.request.user,
            statement=data.get("statement", serializer.instance.statement), product=data.get("product"),
        )

    def _answer(self, application, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=application.pk)
        return Response(ApplicationSerializer(fresh, context={"request": self.request}).data, status=code)

    @extend_schema(request=ApplicationDecisionSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"], url_path=r"decide/(?P<decision>[a-z_]+)", serializer_class=ApplicationDecisionSerializer)
    def decide(self, request, pk=None, decision=None):
        """Take a decision: submit, district_approve, return, reject, resubmit, send_to_experts, city_approve, withdraw.
        An unknown decision is 404; one out of order is 409."""
        application = self.get_object()
        body = ApplicationDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = services.application_decide(application=application, decision=decision, by=request.user,
                                                  text=body.validated_data["text"])
        return self._answer(application)

    @extend_schema(request={"multipart/form-data": ApplicationAttachmentUploadSerializer}, responses={201: ApplicationAttachmentSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser], serializer_class=ApplicationAttachmentUploadSerializer)
    def attachments(self, request, pk=None):
        """Upload a file to a draft or returned application (multipart ``file``); a refused file is 400 with the reason."""
        application = self.get_object()
        body = ApplicationAttachmentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        attachment = services.application_attachment_add(application=application, by=request.user, name=upload.name,
                                                         content=upload.read())
        return Response(ApplicationAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class ExpertReviewSerializer(serializers.ModelSerializer):
    batch = serializers.CharField(source="application.batch.name", read_only=True)
    tier = serializers.CharField(source="application.tier", read_only=True)
    rubric = serializers.JSONField(source="application.batch.rubric", read_only=True,
                                   help_text='[{"id": ..., "label": ..., "max": ...}]: the items to score')
    submission = serializers.SerializerMethodField(help_text="the frozen submission without the applicant's identity")

    class Meta:
        model = ExpertReview
        fields = ["id", "batch", "tier", "state", "rubric", "submission", "scores", "total", "opinion", "scored_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.JSONField())
    def get_submission(self, review) -> dict:
        return selectors.application_blind_snapshot(review.application)


class ExpertScoreSerializer(serializers.Serializer):
    scores = serializers.DictField(child=serializers.DecimalField(max_digits=6, decimal_places=2),
                                   help_text='{rubric item id: points}, each between 0 and the item\'s max')
    opinion = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class ExpertReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """Your own expert reviews, blind. POST score/ submits the scores."""

    serializer_class = ExpertReviewSerializer

    def get_queryset(self):
        return selectors.expert_review_list(user=self.request.user)

    @extend_schema(request=ExpertScoreSerializer, responses=ExpertReviewSerializer)
    @action(detail=True, methods=["post"], serializer_class=ExpertScoreSerializer)
    def score(self, request, pk=None):
        review = self.get_object()
        body = ExpertScoreSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        review = expert_services.expert_review_score(review=review, by=request.user, opinion=body.validated_data["opinion"],
                                                     scores={k: str(v) for k, v in body.validated_data["scores"].items()})
        return Response(ExpertReviewSerializer(self.get_queryset().get(pk=review.pk)).data)

