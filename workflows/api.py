"""Endpoints of this app under /api/ (its own router; project/urls.py includes ``urlpatterns``): the same
selectors and services as the pages."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from enterprises.models import Enterprise, Role
from enterprises.selectors import enterprise_list, has_role

from . import selectors
from .models import PoolEntry, PoolEntryAttachment
from .services import pool as pool_services


class PoolEntryEvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = PoolEntryAttachment
        fields = ["id", "name", "content_type", "size", "sha256", "revision", "uploaded_at"]
        read_only_fields = fields


class PoolEntrySerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none(), required=False)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    evidence = PoolEntryEvidenceSerializer(
        source="attachments", many=True, read_only=True, help_text="files the enterprise sent with its answers to returns"
    )

    class Meta:
        model = PoolEntry
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "year",
            "source",
            "source_list",
            "statement",
            "state",
            "state_label",
            "last_reason",
            "revision",
            "created_at",
            "pooled_on",
            "left_on",
            "evidence",
        ]
        read_only_fields = [f for f in fields if f not in ("enterprise", "statement")]
        # One active entry per enterprise is checked by the service, under a row lock.
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["enterprise"].queryset = enterprise_list(user=request.user)


class DecisionSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class ResubmitSerializer(serializers.Serializer):
    statement = serializers.CharField(max_length=4000, help_text="the revised statement: the answer to the return")
    files = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=20,
        help_text="evidence asked for: PDF, JPG, PNG or XLSX (checked by content); 20 MB each at most by default",
    )


class PoolEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Pool entries in your scope. POST proposes one; decisions go to ``/decide/<decision>/``."""

    serializer_class = PoolEntrySerializer
    filterset_fields = ["state", "year"]

    def get_queryset(self):
        return selectors.pool_entry_list(user=self.request.user).prefetch_related("attachments")

    def perform_create(self, serializer):
        user = self.request.user
        enterprise = user.enterprise if user.role == Role.ENTERPRISE else serializer.validated_data.get("enterprise")
        if enterprise is None:
            raise serializers.ValidationError({"enterprise": ["This field is required."]})
        serializer.instance = pool_services.pool_entry_propose(
            enterprise=enterprise, by=user, statement=serializer.validated_data.get("statement", "")
        )

    @extend_schema(request=DecisionSerializer, responses=PoolEntrySerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"decide/(?P<decision>[a-z_]+)",
        serializer_class=DecisionSerializer,
    )
    def decide(self, request, pk=None, decision=None):
        """Take a decision: district_approve, return, reject, resubmit, city_approve, withdraw, confirm_exit, keep.
        ``text`` is the comment, the reason (return, reject) or the revised statement (resubmit)."""
        entry = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = pool_services.pool_entry_decide(entry=entry, decision=decision, by=request.user, text=body.validated_data.get("text", ""))
        return self._answer(entry)

    @extend_schema(request={"multipart/form-data": ResubmitSerializer}, responses=PoolEntrySerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser], serializer_class=ResubmitSerializer)
    def resubmit(self, request, pk=None):
        """The enterprise answers a return with its revised statement and the evidence asked for
        (multipart: ``statement``, ``files`` repeated). A refused file is 400 with the reason and
        leaves the entry returned with nothing stored."""
        entry = self.get_object()
        body = ResubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        files = [(upload.name, upload.read()) for upload in body.validated_data.get("files", [])]
        entry = pool_services.pool_entry_resubmit(
            entry=entry, by=request.user, statement=body.validated_data["statement"], files=files
        )
        return self._answer(entry)

    def _answer(self, entry):
        entry = self.get_queryset().filter(pk=entry.pk).first() or entry  # with its evidence as stored now
        return Response(PoolEntrySerializer(entry, context={"request": self.request}).data)


router = SimpleRouter()
router.register("pool-entries", PoolEntryViewSet, basename="pool-entry")


# ---------------------------------------------------------------- diagnosis, what-if, ranking, coaching plans

from django.shortcuts import get_object_or_404  # noqa: E402

from enterprises.api import AnnualMetricsSerializer  # noqa: E402
from enterprises.models import Tier  # noqa: E402

from .criteria import Kind  # noqa: E402
from .criteria.report import diagnosis_data  # noqa: E402
from .models import CoachingActivity, CoachingActivityKind, CoachingItem, CoachingPlan  # noqa: E402
from .selectors.coaching import coaching_plan_list  # noqa: E402
from .selectors.diagnosis import cultivation_ranking, diagnose, next_tier  # noqa: E402
from .services import coaching as coaching_services  # noqa: E402
from .views.diagnosis import RANKING_ROLES, parse_day  # noqa: E402


class DiagnosisQuerySerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=Tier.choices, required=False)
    as_of = serializers.DateField(required=False)
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.NEW)


class WhatIfSerializer(DiagnosisQuerySerializer):
    values = serializers.DictField(
        child=serializers.JSONField(),
        help_text='Edited values: {"2025": {"rd_expense": "3000000.00"}, "niche_entered_year": 2018}. Nothing is saved.',
    )

    def validate_values(self, values):
        overrides = {}
        for key, value in values.items():
            if key == "niche_entered_year":
                overrides[key] = serializers.IntegerField(allow_null=True, min_value=1900).run_validation(value)
                continue
            if not str(key).isdigit() or not isinstance(value, dict):
                raise serializers.ValidationError(f"{key}: expected a year with a dict of metric values")
            rows = AnnualMetricsSerializer(data={"year": int(key), **value}, partial=True)
            rows.is_valid(raise_exception=True)
            overrides[int(key)] = {field: v for field, v in rows.validated_data.items() if field != "year"}
        return overrides


DIAGNOSIS_RESPONSE = OpenApiTypes.OBJECT  # the diagnosis report (workflows.criteria.report.diagnosis_data)


class DiagnosisViewSet(viewsets.GenericViewSet):
    """GET: an enterprise's gap diagnosis for a tier (default: the next tier up). POST what-if/: re-score edited values."""

    serializer_class = DiagnosisQuerySerializer
    queryset = Enterprise.objects.none()  # for the schema; the enterprise comes from the scoped selector

    def _run(self, params: dict, overrides=None):
        enterprise = get_object_or_404(enterprise_list(user=self.request.user), pk=self.kwargs["enterprise_pk"])
        as_of = params.get("as_of") or parse_day(None)
        tier = params.get("tier") or next_tier(enterprise, as_of)
        return Response(diagnosis_data(diagnose(enterprise, tier, as_of, kind=params["kind"], overrides=overrides)))

    @extend_schema(parameters=[DiagnosisQuerySerializer], responses=DIAGNOSIS_RESPONSE)
    def list(self, request, enterprise_pk=None):
        query = DiagnosisQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return self._run(query.validated_data)

    @extend_schema(request=WhatIfSerializer, responses=DIAGNOSIS_RESPONSE)
    @action(detail=False, methods=["post"], url_path="what-if", serializer_class=WhatIfSerializer)
    def what_if(self, request, enterprise_pk=None):
        body = WhatIfSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._run(body.validated_data, overrides=body.validated_data["values"])


class RankingQuerySerializer(DiagnosisQuerySerializer):
    tier = serializers.ChoiceField(choices=Tier.choices, default=Tier.SRDI)
    jurisdiction = serializers.CharField(required=False)
    industry_chain = serializers.IntegerField(required=False)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=10000, default=100)


class RankingEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    credit_code = serializers.CharField()


class RankingGapSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()
    status = serializers.CharField()
    lost = serializers.IntegerField(allow_null=True)


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    enterprise = RankingEnterpriseSerializer()
    passed = serializers.BooleanField()
    score = serializers.IntegerField(allow_null=True)
    conditions_missing = serializers.IntegerField()
    points_short = serializers.IntegerField()
    gaps = RankingGapSerializer(many=True)


class CultivationRankingViewSet(viewsets.GenericViewSet):
    """The cultivation list: pooled enterprises closest to a tier's bar, closest first (reviewers; others get [])."""

    serializer_class = RankingRowSerializer
    queryset = Enterprise.objects.none()  # for the schema; rows come from the scoped ranking selector
    pagination_class = None  # ``limit`` bounds the list

    @extend_schema(parameters=[RankingQuerySerializer], responses=RankingRowSerializer(many=True))
    def list(self, request):
        query = RankingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)  # an invalid query is refused whoever asks
        if not has_role(request.user, *RANKING_ROLES):
            return Response([])
        params = dict(query.validated_data)
        params.pop("kind")
        diagnoses = cultivation_ranking(user=request.user, as_of=params.pop("as_of", None), **params)
        return Response([_ranking_row(index, d) for index, d in enumerate(diagnoses, start=1)])


def _ranking_row(rank: int, diagnosis) -> dict:
    from .criteria.ranking import gaps

    return {
        "rank": rank,
        "enterprise": {"id": diagnosis.record.id, "name": diagnosis.record.name, "credit_code": diagnosis.record.credit_code},
        "passed": diagnosis.passed,
        "score": diagnosis.score,
        "conditions_missing": diagnosis.conditions_missing,
        "points_short": diagnosis.points_short,
        "gaps": [{"id": r.rule.id, "label": r.rule.label, "status": r.status, "lost": r.lost} for r in gaps(diagnosis)],
    }


class CoachingItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = CoachingItem
        fields = ["id", "rule_id", "label", "points_lost", "remedy", "owner", "due_on", "status", "note", "resolved_on",
                  "met_by_data"]
        read_only_fields = fields


class CoachingActivitySerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=CoachingActivityKind.choices)

    class Meta:
        model = CoachingActivity
        fields = ["id", "kind", "held_on", "participants", "notes", "recorded_at"]
        read_only_fields = ["id", "recorded_at"]


class CoachingPlanSerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    diagnosis = serializers.JSONField(source="diagnosis.result", read_only=True, allow_null=True)
    items = CoachingItemSerializer(many=True, read_only=True)
    activities = CoachingActivitySerializer(many=True, read_only=True)
    owner = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=128)
    due_on = serializers.DateField(write_only=True, required=False, allow_null=True)

    class Meta:
        model = CoachingPlan
        fields = ["id", "enterprise", "enterprise_name", "tier", "kind", "state", "ready_since", "closed_reason",
                  "opened_at", "diagnosis", "items", "activities", "owner", "due_on"]
        read_only_fields = ["state", "ready_since", "closed_reason", "opened_at"]
        validators = []  # one open plan per tier is checked by the service, under a lock

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["enterprise"].queryset = enterprise_list(user=request.user)


class PlanMoveSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    owner = serializers.CharField(required=False, allow_blank=True, default="", max_length=128)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CoachingPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Coaching plans in your scope. POST opens one from a fresh diagnosis (reviewers)."""

    serializer_class = CoachingPlanSerializer
    filterset_fields = ["state", "tier"]

    def get_queryset(self):
        return coaching_plan_list(user=self.request.user).prefetch_related("items", "activities").order_by("-pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = coaching_services.coaching_plan_open(
            enterprise=data["enterprise"], tier=data["tier"], kind=data.get("kind", Kind.NEW), by=self.request.user,
            owner=data.get("owner", ""), due_on=data.get("due_on"),
        )

    def _answer(self, plan):
        return Response(CoachingPlanSerializer(self.get_queryset().get(pk=plan.pk), context={"request": self.request}).data)

    @extend_schema(request=None, responses=CoachingPlanSerializer)
    @action(detail=True, methods=["post"], serializer_class=PlanMoveSerializer)
    def rediagnose(self, request, pk=None):
        return self._answer(coaching_services.coaching_plan_rediagnose(plan=self.get_object(), by=request.user))

    @extend_schema(request=PlanMoveSerializer, responses=CoachingPlanSerializer)
    @action(detail=True, methods=["post"], serializer_class=PlanMoveSerializer)
    def close(self, request, pk=None):
        body = PlanMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = coaching_services.coaching_plan_close(plan=self.get_object(), by=request.user, reason=body.validated_data["reason"])
        return self._answer(plan)

    @extend_schema(request=CoachingActivitySerializer, responses=CoachingPlanSerializer)
    @action(detail=True, methods=["post"], serializer_class=CoachingActivitySerializer)
    def activities(self, request, pk=None):
        body = CoachingActivitySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        coaching_services.coaching_activity_record(plan=self.get_object(), by=request.user, **body.validated_data)
        return self._answer(self.get_object())

    @extend_schema(request=PlanMoveSerializer, responses=CoachingPlanSerializer)
    @action(detail=True, methods=["post"], url_path=r"items/(?P<item_pk>\d+)/(?P<move>[a-z_]+)",
            serializer_class=PlanMoveSerializer)
    def item(self, request, pk=None, item_pk=None, move=None):
        """Move an item (start, complete, drop, reopen) or, for reviewers, ``update`` its owner and due date."""
        plan = self.get_object()
        item = get_object_or_404(CoachingItem, pk=item_pk, plan=plan)
        body = PlanMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        if move == "update":
            coaching_services.coaching_item_update(item=item, by=request.user, owner=values["owner"],
                                                   due_on=values["due_on"], note=values["note"])
        else:
            coaching_services.coaching_item_move(item=item, by=request.user, move=move, note=values["note"])
        return self._answer(plan)


router.register(r"enterprises/(?P<enterprise_pk>\d+)/diagnosis", DiagnosisViewSet, basename="enterprise-diagnosis")
router.register("cultivation-ranking", CultivationRankingViewSet, basename="cultivation-ranking")
router.register("coaching-plans", CoachingPlanViewSet, basename="coaching-plan")

from .api_application import ApplicationBatchViewSet, ApplicationViewSet, ExpertReviewViewSet  # noqa: E402
from .api_recognition import RecognitionViewSet  # noqa: E402

router.register("recognitions", RecognitionViewSet, basename="recognition")
router.register("application-batches", ApplicationBatchViewSet, basename="application-batch")
router.register("applications", ApplicationViewSet, basename="application")
router.register("expert-reviews", ExpertReviewViewSet, basename="expert-review")
urlpatterns = router.urls
