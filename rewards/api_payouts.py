"""Payout and reward-round endpoints (/api/payouts/, /api/reward-rounds/), scoped like every list.

Every action is a service call; every action accepts ``Idempotency-Key``. Money is an exact
decimal string in yuan.
"""

from rest_framework import mixins, parsers, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import selectors, services
from .idempotency import idempotent
from .models import Fund, Payout, RewardRound


class PayoutSerializer(serializers.ModelSerializer):
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    fund = serializers.CharField(source="fund.code", read_only=True)
    tier = serializers.CharField(source="entitlement.tier", read_only=True)
    explanation_zh = serializers.CharField(source="entitlement.explanation_zh", read_only=True)
    payment_notice = serializers.CharField(source="payment_notice.number", read_only=True, default=None)

    class Meta:
        model = Payout
        fields = [
            "id", "credit_code", "enterprise_name", "fund", "tier", "amount", "offset_amount", "state", "round",
            "bank", "account_name", "account_number", "confirmed_at", "budget_year", "paid_amount",
            "bank_reference", "value_date", "hold_reason", "last_reason", "payment_notice", "explanation_zh",
            "created_at",
        ]
        read_only_fields = fields


class AccountSerializer(serializers.Serializer):
    bank = serializers.CharField(max_length=128)
    account_name = serializers.CharField(max_length=255)
    account_number = serializers.CharField(max_length=64)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ObjectionSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class PaymentSerializer(serializers.Serializer):
    bank_reference = serializers.CharField(max_length=64)
    value_date = serializers.DateField()


class StatementSerializer(serializers.Serializer):
    file = serializers.FileField()


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class PayoutViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PayoutSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.payout_list(user=self.request.user, state=self.request.query_params.get("state") or None)

    def _decide(self, service, input_class=None, **extra):
        payout = self.get_object()
        data = _valid(input_class, self.request) if input_class else {}
        service(payout=payout, by=self.request.user, **data, **extra)
        return Response(PayoutSerializer(selectors.payout_get(user=self.request.user, pk=payout.pk)).data)

    @action(detail=True, methods=["post"])
    @idempotent
    def confirm(self, request, pk=None):
        return self._decide(services.payout_confirm, AccountSerializer)

    @action(detail=True, methods=["post"])
    @idempotent
    def object(self, request, pk=None):
        return self._decide(services.payout_object, ObjectionSerializer)

    @action(detail=True, methods=["post"])
    @idempotent
    def release(self, request, pk=None):
        return self._decide(services.payout_release, ReasonSerializer)

    @action(detail=True, methods=["post"])
    @idempotent
    def reject(self, request, pk=None):
        return self._decide(services.payout_reject, ReasonSerializer)

    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, pk=None):
        return self._decide(services.payout_cancel, ReasonSerializer)

    @action(detail=True, methods=["post"], url_path="confirm-budget")
    @idempotent
    def confirm_budget(self, request, pk=None):
        return self._decide(services.payout_confirm_budget, CommentSerializer)

    @action(detail=True, methods=["post"])
    @idempotent
    def pay(self, request, pk=None):
        return self._decide(services.payout_pay, PaymentSerializer)

    @action(detail=False, methods=["post"], parser_classes=[parsers.MultiPartParser])
    @idempotent
    def reconcile(self, request):
        upload = _valid(StatementSerializer, request)["file"]
        statement = services.payouts_reconcile(content=upload.read(), file_name=upload.name, by=request.user)
        lines = [{"line": line.line_number, "reference": line.reference, "amount": f"{line.amount:.2f}",
                  "result": line.result, "payout": line.payout_id} for line in statement.lines.all()]
        return Response({"statement": statement.pk, "lines": lines})


class RewardRoundSerializer(serializers.ModelSerializer):
    fund = serializers.SlugRelatedField(slug_field="code", queryset=Fund.objects.all())
    payouts = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    decision_document = serializers.CharField(source="decision_document.number", read_only=True, default=None)
    notice_document = serializers.CharField(source="notice_document.number", read_only=True, default=None)

    class Meta:
        model = RewardRound
        fields = ["id", "name", "fund", "year", "state", "notice_working_days", "notice_starts_on", "notice_ends_on",
                  "decision_document", "notice_document", "payouts", "created_at"]
        read_only_fields = ["state", "notice_working_days", "notice_starts_on", "notice_ends_on", "created_at"]
        extra_kwargs = {"name": {"required": False}, "year": {"required": False}}


class RoundCreateSerializer(serializers.Serializer):
    fund = serializers.SlugRelatedField(slug_field="code", queryset=Fund.objects.all())
    name = serializers.CharField(max_length=128, required=False, default="")
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    payouts = serializers.ListField(child=serializers.IntegerField(), required=False)


class RewardRoundViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RewardRoundSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.reward_round_list(user=self.request.user).prefetch_related("payouts")

    @idempotent
    def create(self, request, *args, **kwargs):
        data = _valid(RoundCreateSerializer, request)
        ids = data.pop("payouts", None)
        chosen = list(selectors.payout_list(user=request.user).filter(pk__in=ids)) if ids is not None else None
        round = services.reward_round_create(by=request.user, payouts=chosen, **data)
        return Response(RewardRoundSerializer(round).data, status=status.HTTP_201_CREATED)

    def _decide(self, service):
        round = service(round=self.get_object(), by=self.request.user)
        return Response(RewardRoundSerializer(round).data)

    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, pk=None):
        return self._decide(services.reward_round_approve)

    @action(detail=True, methods=["post"], url_path="open-notice")
    @idempotent
    def open_notice(self, request, pk=None):
        return self._decide(services.reward_round_open_notice)

    @action(detail=True, methods=["post"])
    @idempotent
    def close(self, request, pk=None):
        return self._decide(services.reward_round_close_notice)
