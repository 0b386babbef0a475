"""Endpoints of this app under /api/ (registered on project.api.router): the same selectors and
services as the pages."""

from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from enterprises.models import Enterprise, Role
from enterprises.selectors import enterprise_list
from project.api import router

from . import selectors
from .models import PoolEntry
from .services import pool as pool_services


class PoolEntrySerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none(), required=False)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = PoolEntry
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "year",
            "source",
            "source_list",
            "statement",
            "state",
            "state_label",
            "last_reason",
            "revision",
            "created_at",
            "pooled_on",
            "left_on",
        ]
        read_only_fields = [f for f in fields if f not in ("enterprise", "statement")]
        # One active entry per enterprise is checked by the service, under a row lock.
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["enterprise"].queryset = enterprise_list(user=request.user)


class DecisionSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class PoolEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Pool entries in your scope. POST proposes one; decisions go to ``/decide/<decision>/``."""

    serializer_class = PoolEntrySerializer
    filterset_fields = ["state", "year"]

    def get_queryset(self):
        return selectors.pool_entry_list(user=self.request.user)

    def perform_create(self, serializer):
        user = self.request.user
        enterprise = user.enterprise if user.role == Role.ENTERPRISE else serializer.validated_data.get("enterprise")
        if enterprise is None:
            raise serializers.ValidationError({"enterprise": ["This field is required."]})
        serializer.instance = pool_services.pool_entry_propose(
            enterprise=enterprise, by=user, statement=serializer.validated_data.get("statement", "")
        )

    @action(
        detail=True,
        methods=["post"],
        url_path=r"decide/(?P<decision>[a-z_]+)",
        serializer_class=DecisionSerializer,
    )
    def decide(self, request, pk=None, decision=None):
        """Take a decision: district_approve, return, reject, resubmit, city_approve, withdraw, confirm_exit, keep.
        ``text`` is the comment, the reason (return, reject) or the revised statement (resubmit)."""
        entry = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = pool_services.pool_entry_decide(entry=entry, decision=decision, by=request.user, text=body.validated_data.get("text", ""))
        return Response(PoolEntrySerializer(entry, context={"request": request}).data)


router.register("pool-entries", PoolEntryViewSet, basename="pool-entry")
