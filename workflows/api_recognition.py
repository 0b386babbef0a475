"""/api/recognitions/: the results in your scope (read-only) and POST import/ of a published list
(registered on this app's router in workflows.api)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from enterprises.api import RowProblemSerializer  # one "RowProblem" in the schema

from .models import Recognition
from .selectors.recognition import recognition_list
from .services.recognition_import import recognitions_import


class RecognitionSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True)
    tier_label = serializers.CharField(source="get_tier_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    valid_until = serializers.DateField(source="title.valid_until", read_only=True, allow_null=True)

    class Meta:
        model = Recognition
        fields = ["id", "enterprise", "enterprise_name", "credit_code", "tier", "tier_label", "recognized_on", "batch",
                  "kind", "product", "status", "status_label", "source", "title", "renewed_title", "valid_until",
                  "warning", "created_at"]
        read_only_fields = fields


class RecognitionImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="the published list, .xlsx or .csv")
    skip_invalid = serializers.BooleanField(default=False, help_text="write the valid rows, set the invalid aside")


class RecognitionImportReportSerializer(serializers.Serializer):
    file_name = serializers.CharField()
    sha256 = serializers.CharField()
    rows = serializers.IntegerField()
    written = serializers.BooleanField()
    summary = serializers.CharField()
    recorded = serializers.IntegerField()
    titles = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    queued = serializers.IntegerField()
    already_queued = serializers.IntegerField()
    rejected_rows = serializers.IntegerField()
    ignored_columns = serializers.ListField(child=serializers.CharField())
    problems = RowProblemSerializer(many=True)
    warnings = RowProblemSerializer(many=True)


class RecognitionViewSet(viewsets.ReadOnlyModelViewSet):
    """Recognition results of the enterprises in your scope. POST import/ records a published list (city)."""

    serializer_class = RecognitionSerializer
    filterset_fields = ["tier", "kind", "status", "enterprise"]

    def get_queryset(self):
        return recognition_list(user=self.request.user)

    @extend_schema(request={"multipart/form-data": RecognitionImportSerializer},
                   responses={200: RecognitionImportReportSerializer, 422: RecognitionImportReportSerializer})
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser],
            serializer_class=RecognitionImportSerializer)
    def import_list(self, request):
        """Import an .xlsx/.csv list (multipart ``file``); the answer is the report, 422 when nothing was written."""
        body = RecognitionImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = recognitions_import(rows_source=body.validated_data["file"], by=request.user,
                                     skip_invalid=body.validated_data["skip_invalid"])
        return Response(RecognitionImportReportSerializer(report).data, status=200 if report.written else 422)

