"""Makes the current request's id and client address available to the step log."""

import contextvars
import uuid

_request_context: contextvars.ContextVar[dict | None] = contextvars.ContextVar("tidu_request", default=None)


def current_request_context() -> dict:
    """``{"request_id": ..., "client_ip": ...}`` of the request being served, or empty values."""
    return _request_context.get() or {"request_id": "", "client_ip": None}


def client_ip_of(request) -> str | None:
    # Behind a proxy REMOTE_ADDR is the proxy; the deployment's proxy sets X-Real-IP.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.META.get("HTTP_X_REQUEST_ID") or uuid.uuid4().hex
        token = _request_context.set({"request_id": request_id[:64], "client_ip": client_ip_of(request)})
        try:
            response = self.get_response(request)
        finally:
            _request_context.reset(token)
        response["X-Request-ID"] = request_id[:64]
        return response
