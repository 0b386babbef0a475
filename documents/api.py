"""Document endpoints under /api/: the archive (scoped), downloads, retries, voiding, verification."""

import django_filters
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from .forms import MAX_VERIFY_BYTES
from .models import Document
from .selectors import Verification, documents_for, verification_by_pdf, verification_by_token
from .services import document_download, document_render_retry, document_void


class DocumentSerializer(serializers.ModelSerializer):
    issuer = serializers.CharField(source="issuer.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, default=None)
    subject_type = serializers.CharField(source="subject_type.model", read_only=True, default=None)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "number",
            "title",
            "kind",
            "issuer",
            "issued_on",
            "enterprise",
            "enterprise_name",
            "subject_type",
            "subject_id",
            "status",
            "render_state",
            "page_count",
            "sha256",
            "token",
            "voided_at",
            "void_reason",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, document) -> str | None:
        if not document.is_ready:
            return None
        return self.context["request"].build_absolute_uri(reverse("document-download", args=[document.pk]))


class DocumentFilter(django_filters.FilterSet):
    enterprise = django_filters.NumberFilter(field_name="enterprise_id")
    number = django_filters.CharFilter(field_name="number", lookup_expr="icontains")

    class Meta:
        model = Document
        fields = ["kind", "status", "render_state", "enterprise", "number"]


class VoidSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Issued documents in your scope, newest first. Documents are issued by the case
    services (pool entry, diagnosis, recognition, rewards), never through this endpoint."""

    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter

    def get_queryset(self):
        return documents_for(user=self.request.user)

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="The PDF/A file")})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The PDF; every download is recorded in the audit trail."""
        document = self.get_object()
        pdf = document_download(document=document, by=request.user)
        return FileResponse(pdf, content_type="application/pdf", filename=f"{document.number}.pdf")

    @extend_schema(request=None, responses={202: DocumentSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Render again a document whose rendering failed."""
        document = document_render_retry(document=self.get_object(), by=request.user)
        return Response(self.get_serializer(document).data, status=202)

    @extend_schema(request=VoidSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        """Void a document; it keeps its number. Needs the void permission (city reviewers)."""
        body = VoidSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        document = document_void(document=self.get_object(), by=request.user, reason=body.validated_data["reason"])
        return Response(self.get_serializer(document).data)


class VerificationSerializer(serializers.Serializer):
    verdict = serializers.CharField()
    issuer = serializers.CharField(allow_null=True)
    number = serializers.CharField(allow_null=True)
    issued_on = serializers.DateField(allow_null=True)
    title = serializers.CharField(allow_null=True)

    @staticmethod
    def of(verification: Verification) -> dict:
        document = verification.document
        return {
            "verdict": verification.verdict.value,
            "issuer": document.issuer.name if document else None,
            "number": document.number if document else None,
            "issued_on": document.issued_on if document else None,
            "title": document.title if document else None,
        }


class VerifyUploadSerializer(serializers.Serializer):
    pdf = serializers.FileField()

    def validate_pdf(self, pdf):
        if pdf.size > MAX_VERIFY_BYTES:
            raise serializers.ValidationError("The file is larger than 20 MB; no issued document is that large.")
        return pdf


class VerificationViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Public (no login): is a document genuine, voided, altered or unknown?"""

    permission_classes = [AllowAny]
    serializer_class = VerificationSerializer
    lookup_field = "token"
    pagination_class = None
    filter_backends = []
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(parameters=[OpenApiParameter("token", str, OpenApiParameter.PATH)],
                   responses={200: VerificationSerializer, 404: VerificationSerializer})
    def retrieve(self, request, token=None):
        """By verification code (the QR link's last part)."""
        verification = verification_by_token(token)
        return Response(VerificationSerializer.of(verification), status=200 if verification.document else 404)

    @extend_schema(request={"multipart/form-data": VerifyUploadSerializer}, responses={200: VerificationSerializer})
    def create(self, request):
        """By upload: are these exactly the bytes of an issued document?"""
        upload = VerifyUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        verification = verification_by_pdf(upload.validated_data["pdf"].read())
        return Response(VerificationSerializer.of(verification))


router = SimpleRouter()
router.register("documents", DocumentViewSet, basename="document")
router.register("verify", VerificationViewSet, basename="verification")
urlpatterns = router.urls
