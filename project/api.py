"""JSON errors with a stable code for the whole REST API. Each app exposes its own API URLs
(``urlpatterns`` in its ``api`` module), which project/urls.py includes under ``api/``."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
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


__all__ = ["exception_handler", "status"]
