"""Requests the site answers itself rather than with a bare server error.

PostgreSQL refuses NUL (0x00) in text, so a NUL in a path segment, a query parameter or a
form field would reach the database as a server error. One middleware answers 400 for
every page and API endpoint instead; JSON bodies are checked by the API's parser
(``NulRefusingJSONParser``), so the API keeps its ``{"code", "message", "fields"}`` shape.

A database that drops the connection (restarting, failing over) answers 503 with a page or
JSON that says so (``DatabaseUnavailableMiddleware``), instead of the generic 500.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.http.multipartparser import MultiPartParserError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser

logger = logging.getLogger(__name__)
NUL = "\x00"
NUL_CODE = "nul_character"


def nul_message() -> str:
    return _("The text contains a NUL character (\\x00), which is never valid here. Remove it and try again.")


def nul_fields(data) -> list[str]:
    """The names under which ``data`` (a QueryDict, or parsed JSON) holds a NUL, as dotted paths."""
    if hasattr(data, "lists"):
        return [key.replace(NUL, "\\x00") for key, values in data.lists() if NUL in key or any(NUL in v for v in values)]
    return _nul_paths(data, "")


def _nul_paths(value, path: str) -> list[str]:
    if isinstance(value, str):
        return [path or "non_field_errors"] if NUL in value else []
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return []
    found = []
    for key, item in items:
        name = str(key).replace(NUL, "\\x00")
        inner = f"{path}.{name}" if path else name
        found += [inner] if NUL in str(key) else _nul_paths(item, inner)
    return found


class RefuseNulMiddleware:
    """400 for a NUL in the path, the query string or a posted form; JSON for the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = self._nul_fields(request)
        if fields:
            return self._refusal(request, fields)
        return self.get_response(request)

    @staticmethod
    def _nul_fields(request) -> list[str]:
        fields = ["path"] if NUL in request.path else []
        fields += nul_fields(request.GET)
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            try:
                fields += nul_fields(request.POST)
            except MultiPartParserError:
                pass  # a malformed body: the view refuses it as it always has
        return fields

    @staticmethod
    def _refusal(request, fields: list[str]):
        message = nul_message()
        if request.path.startswith(_api_prefix()):
            body = {"code": NUL_CODE, "message": message, "fields": {name: [message] for name in fields}}
            return JsonResponse(body, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class DatabaseUnavailableMiddleware:
    """503 (page, or JSON for the API) when a view lost its database connection.

    The transaction of the request rolled back with the connection, so nothing of it was
    half-saved; whether a commit that was under way got through cannot be known here, so
    the message asks the user to reload and look before doing it again. The page renders
    without the request's context processors, which would need the database too.
    """

    RETRY_AFTER_SECONDS = 5

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("Database unavailable during %s %s: %s", request.method, request.path, exception)
        if request.path.startswith(_api_prefix()):
            response = JsonResponse({"code": "service_unavailable", "message": database_unavailable_message()},
                                    status=503)
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response


def database_unavailable_message() -> str:
    return _(
        "The system lost its database for a moment, so this request was not completed and nothing of it was "
        "half-saved. Reload the page in a moment: if what you did does not show, do it again."
    )


def _api_prefix() -> str:
    try:
        return reverse("api-root")
    except NoReverseMatch:
        return "/api/"


class NulRefusingJSONParser(JSONParser):
    """JSON bodies with a NUL in any string or key: a 400 naming the field, like any invalid field."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        fields = nul_fields(data)
        if fields:
            raise exceptions.ValidationError({name: [nul_message()] for name in fields}, code=NUL_CODE)
        return data
