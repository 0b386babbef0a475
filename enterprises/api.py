"""Registry endpoints under /api/: the same selectors and services as the pages."""

import django_filters
from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from . import services
from .models import AnnualMetrics, Enterprise, ImportJob, IndustryChain, Jurisdiction
from .selectors import enterprise_list, import_job_get, metrics_list
from .services.import_jobs import enterprises_import_submit, import_job_report, import_job_rows_done
from .validators import credit_code_problem, normalise_credit_code


class JurisdictionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Jurisdiction
        fields = ["code", "name", "name_en", "kind", "reward_covered"]


class CreditCodeField(serializers.CharField):
    def to_internal_value(self, data):
        code = normalise_credit_code(super().to_internal_value(data))
        problem = credit_code_problem(code)
        if problem:
            raise serializers.ValidationError(problem, code="invalid_credit_code")
        return code


class EnterpriseSerializer(serializers.ModelSerializer):
    credit_code = CreditCodeField(max_length=32)
    jurisdiction = serializers.SlugRelatedField(slug_field="code", queryset=Jurisdiction.objects.all())
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    industry_chain = serializers.SlugRelatedField(
        slug_field="name", queryset=IndustryChain.objects.all(), allow_null=True, required=False
    )
    moved_on = serializers.DateField(
        write_only=True, required=False,
        help_text="With a new jurisdiction: the day the move took effect (today when left out).",
    )

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "credit_code",
            "name",
            "jurisdiction",
            "jurisdiction_name",
            "industry_chain",
            "main_product",
            "niche_market",
            "niche_entered_year",
            "founded_on",
            "moved_on",
            "updated_at",
        ]
        read_only_fields = ["id", "updated_at"]
        # Uniqueness is checked by the service inside its transaction.
        extra_kwargs = {"credit_code": {"validators": []}}

    def validate_credit_code(self, value):
        existing = Enterprise.objects.filter(credit_code=value)
        if self.instance is not None:
            if value != self.instance.credit_code:
                raise serializers.ValidationError("The credit code of a registered enterprise cannot change.")
            return value
        if existing.exists():
            raise serializers.ValidationError("An enterprise with this credit code is already registered.")
        return value


class AnnualMetricsSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnnualMetrics
        fields = ["year", *AnnualMetrics.input_field_names(), "updated_at"]
        read_only_fields = ["updated_at"]
        validators = []


class EnterpriseImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2100)
    skip_invalid = serializers.BooleanField(required=False, default=False)


class RowProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="row number as seen in the sheet (the header is row 1)")
    column = serializers.CharField()
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    file_name = serializers.CharField()
    sha256 = serializers.CharField()
    rows = serializers.IntegerField()
    written = serializers.BooleanField()
    summary = serializers.CharField()
    imported_rows = serializers.IntegerField()
    rejected_rows = serializers.IntegerField()
    enterprises_created = serializers.IntegerField()
    enterprises_updated = serializers.IntegerField()
    enterprises_moved = serializers.IntegerField()
    metrics_created = serializers.IntegerField()
    metrics_updated = serializers.IntegerField()
    ignored_columns = serializers.ListField(child=serializers.CharField())
    problems = RowProblemSerializer(many=True, help_text="the first 1,000 problems; problem_count counts them all")
    problem_count = serializers.IntegerField()


class ImportJobSerializer(serializers.ModelSerializer):
    """A long list imported by the worker; ``report`` is filled once it is done."""

    rows_done = serializers.SerializerMethodField()
    report = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = ["id", "file_name", "sha256", "state", "rows_total", "rows_done", "error", "created_at",
                  "finished_at", "report"]

    def get_rows_done(self, job) -> int:
        return import_job_rows_done(job)

    @extend_schema_field(ImportReportSerializer(allow_null=True))
    def get_report(self, job):
        report = import_job_report(job)
        return ImportReportSerializer(report).data if report else None


class EnterpriseFilter(django_filters.FilterSet):
    jurisdiction = django_filters.CharFilter(field_name="jurisdiction__code")
    industry_chain = django_filters.CharFilter(field_name="industry_chain__name")
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    credit_code = django_filters.CharFilter(method="filter_credit_code")

    class Meta:
        model = Enterprise
        fields = ["jurisdiction", "industry_chain", "name", "credit_code"]

    def filter_credit_code(self, queryset, name, value):
        return queryset.filter(credit_code=normalise_credit_code(value))


class EnterpriseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Enterprises in your scope. Create and update go through the registry services."""

    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter

    def get_queryset(self):
        return enterprise_list(user=self.request.user).order_by("pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("moved_on", None)  # a new enterprise has not moved
        serializer.instance = services.enterprise_create(by=self.request.user, **data)

    def perform_update(self, serializer):
        changes = dict(serializer.validated_data)
        changes.pop("credit_code", None)
        jurisdiction = changes.pop("jurisdiction", None)
        moved_on = changes.pop("moved_on", None) or timezone.localdate()
        enterprise = serializer.instance
        with transaction.atomic():
            if jurisdiction is not None and jurisdiction != enterprise.jurisdiction:
                enterprise = services.enterprise_move(
                    enterprise=enterprise, to=jurisdiction, effective_on=moved_on, by=self.request.user
                )
            serializer.instance = services.enterprise_update(enterprise=enterprise, by=self.request.user, **changes)

    @extend_schema(methods=["GET"], responses=AnnualMetricsSerializer(many=True))
    @extend_schema(methods=["PUT"], request=AnnualMetricsSerializer, responses=AnnualMetricsSerializer)
    @action(detail=True, methods=["get", "put"], serializer_class=AnnualMetricsSerializer, url_path="metrics",
            pagination_class=None)
    def metrics(self, request, pk=None):
        """GET: every year's metrics. PUT: create or update one year (``year`` in the body)."""
        enterprise = self.get_object()
        if request.method == "GET":
            rows = metrics_list(user=request.user, enterprise=enterprise).order_by("-year")
            return Response(AnnualMetricsSerializer(rows, many=True).data)
        serializer = AnnualMetricsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        year = values.pop("year", None)
        if year is None:
            raise serializers.ValidationError({"year": ["This field is required."]})
        row = services.metrics_save(enterprise=enterprise, year=year, by=request.user, values=values)
        return Response(AnnualMetricsSerializer(row).data)

    @extend_schema(
        request=EnterpriseImportSerializer,
        responses={200: ImportReportSerializer, 202: ImportJobSerializer, 422: ImportReportSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_list(self, request):
        """Import an .xlsx/.csv list (multipart ``file``); the answer is the report, 422 when nothing was written.

        A list above ``TIDU_IMPORT_ASYNC_ROWS`` rows is imported by the worker: the answer is
        202 with the job; follow it at ``import/jobs/<id>/``.
        """
        serializer = EnterpriseImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = enterprises_import_submit(upload=serializer.validated_data.pop("file"), by=request.user,
                                            **serializer.validated_data)
        if isinstance(outcome, ImportJob):
            return Response(ImportJobSerializer(outcome).data, status=202)
        return Response(ImportReportSerializer(outcome).data, status=200 if outcome.written else 422)

    @extend_schema(responses={200: ImportJobSerializer})
    @action(detail=False, methods=["get"], url_path=r"import/jobs/(?P<job_id>[0-9]+)", serializer_class=ImportJobSerializer)
    def import_job(self, request, job_id=None):
        """One of your import jobs: its state, rows read and, when done, the report."""
        return Response(ImportJobSerializer(import_job_get(user=request.user, pk=int(job_id))).data)


class JurisdictionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = JurisdictionSerializer
    queryset = Jurisdiction.objects.all()
    lookup_field = "code"


router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("jurisdictions", JurisdictionViewSet, basename="jurisdiction")
urlpatterns = router.urls
