"""``GET /api/white-list/``: the bank white list, for financial institutions holding a white-list token.

A white-list token authenticates here and nowhere else: its authentication class is on this
view only, so every other endpoint sees an anonymous caller (401). Staff who may view the
dashboard read their scope of the list with their session or API token. Every read is a step.
"""

from django.urls import path
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import authentication, exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import WhiteListToken
from .selectors import user_may_view_dashboard
from .services import white_list_read, white_list_token_authenticate

KEYWORD = "Bearer"


class BankClient:
    """The caller behind a white-list token: authenticated, and nothing more (no user, no role)."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, token: WhiteListToken):
        self.token = token
        self.pk = f"bank-{token.pk}"  # the per-caller throttle's identity

    def __str__(self):
        return self.token.bank_name


class WhiteListTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <key>`` with an active white-list token; used by the white-list view only."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Invalid white-list token header.")
        token = white_list_token_authenticate(parts[1].decode("latin-1"))
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked white-list token.")
        return BankClient(token), token

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="white-list"'


class WhiteListTokenScheme(OpenApiAuthenticationExtension):
    target_class = "dashboard.api.WhiteListTokenAuthentication"
    name = "whiteListToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A bank's white-list token (white list only)."}


class MayReadWhiteList(permissions.BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, WhiteListToken) or user_may_view_dashboard(request.user)


WHITE_LIST_ENTRY_FIELDS = {
    "name": serializers.CharField(),
    "credit_code": serializers.CharField(),
    "tier": serializers.CharField(),
    "tier_label": serializers.CharField(),
    "valid_until": serializers.DateField(allow_null=True),
    "jurisdiction": serializers.CharField(),
    "jurisdiction_name": serializers.CharField(),
}


class WhiteListView(APIView):
    """The enterprises holding a valid SRDI-or-higher title today (专精特新企业白名单)."""

    authentication_classes = [
        WhiteListTokenAuthentication,
        authentication.TokenAuthentication,
        authentication.SessionAuthentication,
    ]
    permission_classes = [MayReadWhiteList]

    @extend_schema(
        responses=inline_serializer("WhiteList", {
            "day": serializers.DateField(),
            "count": serializers.IntegerField(),
            "results": inline_serializer("WhiteListEntry", WHITE_LIST_ENTRY_FIELDS, many=True),
        })
    )
    def get(self, request):
        token = request.auth if isinstance(request.auth, WhiteListToken) else None
        day = timezone.localdate()
        entries = white_list_read(day=day, token=token, user=None if token else request.user)
        return Response({"day": day, "count": len(entries), "results": [entry.as_dict() for entry in entries]})


urlpatterns = [path("", WhiteListView.as_view(), name="white-list")]
app_name = "white-list-api"
