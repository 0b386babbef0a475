"""The OpenAPI schema class of the whole API (``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``).

Apart from project.api because drf-spectacular's AutoSchema imports DRF's generic views,
which read project.api's filter backend and pagination from the settings while they load.
"""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from .api import ERROR_RESPONSES, model_field_of


class ErrorsDocumentedSchema(AutoSchema):
    """Every operation documents, in the one error shape, the statuses the API answers beside
    its own: 400 (a refused parameter, body or NUL byte), 401, 403, 409 (a domain error: already
    decided, not rendered yet, no rule set for that day), 429 and 503 (the database lost mid-request,
    project.middleware) everywhere; 404 where there is an
    object in the path or a page to ask for.
    A status an operation documents itself (``extend_schema(responses=...)``) is kept."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_statuses():
            responses.setdefault(str(code), self._get_response_for_code(ERROR_RESPONSES[code], str(code), direction=direction))
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        # DRF drops allow_blank from read-only fields; a model field that may be blank still reads "".
        if isinstance(field, serializers.ChoiceField) and field.read_only and not field.allow_blank:
            field.allow_blank = model_field_of(field) is not None and model_field_of(field).blank
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _error_statuses(self) -> list[int]:
        statuses = [400, 401, 403, 409, 429, 503]
        if "{" in self.path or (self._is_list_view() and self._get_paginator()):
            statuses.append(404)
        return sorted(statuses)
