"""Endpoints under /api/notifications/: the user's own notifications, nobody else's (404)."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from .models import Notification
from .selectors import notification_get, notifications_for
from .services import notification_mark_read, notifications_mark_all_read


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)
    subject = serializers.CharField(source="shown_subject", read_only=True, help_text="in the request's language when worded in it")
    body = serializers.CharField(source="shown_body", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "link", "enterprise", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """``?unread=1`` lists only unread ones; ``POST {id}/read/`` and ``POST read-all/`` mark them read."""

    serializer_class = NotificationSerializer
    lookup_value_regex = r"\d+"
    queryset = Notification.objects.none()  # for the schema; requests read get_queryset

    def get_queryset(self):
        return notifications_for(user=self.request.user, unread=self.request.query_params.get("unread") == "1")

    def get_object(self):
        return notification_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = notification_mark_read(notification=self.get_object(), by=request.user)
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=inline_serializer("NotificationsMarked", {"marked": serializers.IntegerField()}))
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": notifications_mark_all_read(user=request.user)})


router = SimpleRouter()
router.register("", NotificationViewSet, basename="notification")
app_name = "notifications-api"
urlpatterns: list = [*router.urls]
