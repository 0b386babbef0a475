"""Rate limits on the public doors, with DRF's cache-backed throttles for the API and the pages alike.

Rates are ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (set from the environment in settings),
read on every request so a test can lower or lift them with ``settings``; a rate of ``None``
turns a scope off. Login lockout is django-axes' (``login_locked_out`` below). They live with the
accounts, in the registry, so every app above may use them without importing from ``project``.
"""

import datetime
import functools
import math

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, BaseThrottle, SimpleRateThrottle, UserRateThrottle


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For behind ``NUM_PROXIES`` trusted proxies."""
    return BaseThrottle().get_ident(request)


class _RatesFromSettings:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_RatesFromSettings, AnonRateThrottle):
    """Anonymous API callers (the public verification endpoint, the schema), per address."""


class UserThrottle(_RatesFromSettings, UserRateThrottle):
    """Token and session API callers, per user."""


class PageThrottle(_RatesFromSettings, SimpleRateThrottle):
    """A page's requests per client address, counted under ``scope``."""

    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


def throttle_page(scope: str, *, methods: tuple[str, ...] = ("GET", "HEAD", "POST")):
    """Decorate a public view: past the scope's rate, a 429 that says when to try again."""

    def decorate(view):
        @functools.wraps(view)
        def throttled(request, *args, **kwargs):
            if request.method in methods:
                throttle = PageThrottle(scope)
                if not throttle.allow_request(request, None):
                    return too_many_requests(throttle.wait() or 1)
            return view(request, *args, **kwargs)

        return throttled

    return decorate


def try_again_message(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    at = timezone.localtime(timezone.now() + datetime.timedelta(seconds=seconds))
    return ngettext(
        "Try again in %(minutes)d minute (after %(time)s).",
        "Try again in %(minutes)d minutes (after %(time)s).",
        minutes,
    ) % {"minutes": minutes, "time": at.strftime("%H:%M")}


def login_locked_out(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked login (``AXES_LOCKOUT_CALLABLE``): the login page, 429, saying when."""
    from axes.helpers import get_cool_off
    from django.contrib.auth.forms import AuthenticationForm
    from django.core.exceptions import NON_FIELD_ERRORS
    from django.forms.utils import ErrorDict
    from django.shortcuts import render

    seconds = get_cool_off(request).total_seconds()
    message = _("Too many failed logins for this name from your address.") + " " + try_again_message(seconds)
    if request.path.startswith("/api/") or request.accepts("application/json") and not request.accepts("text/html"):
        response = JsonResponse({"code": "locked_out", "message": message}, status=429)
    else:
        form = AuthenticationForm(request)
        form._errors = ErrorDict({NON_FIELD_ERRORS: form.error_class([message])})  # an unbound form takes no add_error
        response = render(request, "registration/login.html", {"form": form}, status=429)
    response["Retry-After"] = str(math.ceil(seconds))
    return response


def too_many_requests(seconds: float) -> HttpResponse:
    response = HttpResponse(_("Too many attempts.") + " " + try_again_message(seconds), status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(math.ceil(seconds))
    return response


__all__ = ["AnonThrottle", "UserThrottle", "client_ip", "login_locked_out", "throttle_page", "too_many_requests", "try_again_message"]
