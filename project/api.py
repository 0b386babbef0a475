"""JSON errors with a stable code for the whole REST API, and their place in the OpenAPI schema.

Each app exposes its own API URLs (``urlpatterns`` in its ``api`` module), which project/urls.py
includes under ``api/``. Every error the API answers has one shape, ``{"code", "message", "fields"}``
(``ErrorSerializer``), and every operation documents the error statuses it can answer
(``project.schema.ErrorsDocumentedSchema``, the default schema class), so the schema stays the truth.
"""

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from django_filters import CharFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, pagination, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def domain_error_response(exc) -> Response | None:
    """Every app's domain error carries ``code`` and a readable message; 409 or 400."""
    code = getattr(exc, "code", None)
    if code is None or not hasattr(exc, "http_status"):
        return None
    return Response({"code": code, "message": str(exc)}, status=exc.http_status)


def exception_handler(exc, context):
    """``{"code": ..., "message": ..., "fields": {...}}`` for every error the API returns."""
    domain = domain_error_response(exc)
    if domain is not None:
        return domain
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    body = {"code": getattr(exc, "default_code", "error"), "message": ""}
    if isinstance(exc, exceptions.ValidationError):
        body["code"] = "invalid"
        body["message"] = str(exceptions.ValidationError.default_detail)
        body["fields"] = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        body["message"] = str(detail)
        body["code"] = getattr(detail, "code", body["code"])
    response.data = body
    return response


class ErrorSerializer(serializers.Serializer):
    """The body of every error the API answers (4xx)."""

    code = serializers.CharField(help_text="stable machine-readable code, e.g. invalid, not_found, already_decided")
    message = serializers.CharField(help_text="a sentence a user can read, in the request's language")
    fields = serializers.DictField(
        child=serializers.JSONField(), required=False,
        help_text="400 only: each refused field (or non_field_errors) with its messages",
    )


ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, "The request is invalid: `fields` names each refused field."),
    401: OpenApiResponse(ErrorSerializer, "No valid credentials (token or session)."),
    403: OpenApiResponse(ErrorSerializer, "Your role or scope does not allow this."),
    404: OpenApiResponse(ErrorSerializer, "No such object in your scope, or no such page."),
    409: OpenApiResponse(ErrorSerializer, "The object's state does not allow this now (already decided, not ready, ...)."),
    429: OpenApiResponse(ErrorSerializer, "Too many requests: the message says when to try again."),
    503: OpenApiResponse(
        ErrorSerializer, "Briefly unavailable (the database or the task queue could not be reached): not done; try again."
    ),
}


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, but a filter given with no value is refused (400) unless it takes free
    text: ``?state=`` or ``?year=`` is not a state or a year. Unknown choices are refused already."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            blank = {
                name: [_("Give a value or leave the parameter out.")]
                for name, filter_ in filterset.filters.items()
                if "" in request.query_params.getlist(name) and not isinstance(filter_, CharFilter)
            }
            if blank:
                raise exceptions.ValidationError(blank)
        return filterset


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's pages, but ``?page=`` with no number is an invalid page (404) like ``?page=abc``, not page 1."""

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) == "":
            raise exceptions.NotFound(self.invalid_page_message.format(page_number="", message=_("That page number is not an integer")))
        return super().get_page_number(request, paginator)


def model_field_of(field):
    """The model field a ModelSerializer field reads directly (``source`` without a dot), if any."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or "." in (field.source or "*"):
        return None
    try:
        return model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None


def not_found(request, exception=None):
    """``handler404``: an API path that matches no route answers in the API's shape, not a page."""
    if request.path.startswith(reverse("api-root")):
        return JsonResponse({"code": "not_found", "message": _("Not found.")}, status=404)
    return page_not_found(request, exception)


__all__ = ["ERROR_RESPONSES", "ErrorSerializer", "FilterBackend", "PageNumberPagination", "exception_handler", "not_found"]
