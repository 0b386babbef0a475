"""``Idempotency-Key`` for API actions: a retry answers with the first result.

Decorate a DRF action with ``@idempotent``. With the header, the key row is inserted in
the action's transaction before the action runs: a concurrent retry with the same key
waits on that insert (the unique constraint) and, once the first commits, gets its stored
answer; a retry after a lost response gets it too. The same key with another path or
body is refused (422). An action that raised (a refusal, an error) stores nothing, so the
key can be used again. Without the header the action runs as it is.
"""

import functools
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .exceptions import RewardError
from .models import IdempotencyKey

HEADER = "Idempotency-Key"


def request_fingerprint(request) -> str:
    """SHA-256 of the method, the path and the body's data (uploaded files by their content)."""
    data = request.data
    items = data.lists() if hasattr(data, "lists") else (data.items() if isinstance(data, dict) else [("", data)])
    canonical = {str(key): _canonical(value) for key, value in items}
    text = json.dumps([request.method, request.path, canonical], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _canonical(value):
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    if hasattr(value, "chunks"):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return f"file:{digest.hexdigest()}"
    return value


def idempotent(action):
    """Make a DRF view method answer a repeated ``Idempotency-Key`` with its first answer."""

    @functools.wraps(action)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return action(view, request, *args, **kwargs)
        if len(key) > 255:
            raise RewardError(_("The Idempotency-Key is longer than 255 characters."), code="idempotency_key_invalid",
                              http_status=400)
        fingerprint = request_fingerprint(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyKey.objects.create(user=request.user, key=key, fingerprint=fingerprint,
                                                           path=request.path[:255], status=0)
            except IntegrityError:
                return _replay(IdempotencyKey.objects.get(user=request.user, key=key), fingerprint)
            response = action(view, request, *args, **kwargs)
            record.status = response.status_code
            record.body = json.loads(JSONRenderer().render(response.data) or b"null")
            record.save(update_fields=["status", "body"])
        return response

    return wrapper


def _replay(record: IdempotencyKey, fingerprint: str) -> Response:
    if record.fingerprint != fingerprint:
        raise RewardError(
            _("This Idempotency-Key was already used for a different request; use a new key for a new request."),
            code="idempotency_key_reused", http_status=422,
        )
    return Response(record.body, status=record.status, headers={"Idempotent-Replayed": "true"})
