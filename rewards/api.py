"""Reward endpoints under /api/: policies (city and administrators write, everyone reads) and
entitlements (scoped like every list). Money is an exact decimal string in yuan."""

from django.utils.translation import gettext as _
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.routers import SimpleRouter

from enterprises.models import Jurisdiction

from .api_payouts import PayoutViewSet, RewardRoundViewSet
from .exceptions import RewardError
from .models import AwardLevel, ChampionBasis, Entitlement, RewardPolicy
from .selectors import entitlement_list, reward_policy_list, user_may_edit_policies
from .services import policy_values_from_mapping, reward_policy_mapping, reward_policy_save

MONEY = {"max_digits": 18, "decimal_places": 2}


class RewardPolicySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=255)
    jurisdictions = serializers.SlugRelatedField(many=True, slug_field="code", queryset=Jurisdiction.objects.all())
    level = serializers.ChoiceField(choices=AwardLevel.choices, default=AwardLevel.CITY)
    recognized_from = serializers.DateField()
    recognized_to = serializers.DateField(allow_null=True, required=False)
    first_time = serializers.DictField(child=serializers.DecimalField(**MONEY, min_value=0), required=False)
    renewal = serializers.DictField(child=serializers.DecimalField(**MONEY, min_value=0), required=False)
    top_up = serializers.BooleanField()
    champion_basis = serializers.ChoiceField(choices=ChampionBasis.choices, default=ChampionBasis.ENTERPRISE)
    cap_counts_other_levels = serializers.BooleanField(default=False)
    notice_working_days = serializers.IntegerField(min_value=1, default=5)
    revocation_ban_years = serializers.IntegerField(min_value=0, default=3)
    fund = serializers.CharField(source="fund.code", max_length=128)
    supersedes = serializers.SlugRelatedField(
        slug_field="code", queryset=RewardPolicy.objects.all(), allow_null=True, required=False
    )


def _file_mapping(data: dict) -> dict:
    """Validated API data in the keys of a policy file, so one reader checks both."""
    mapping = dict(data)
    if "jurisdictions" in data:
        mapping["jurisdictions"] = [j.code for j in data["jurisdictions"]]
    if "fund" in data:
        mapping["fund"] = data["fund"]["code"]
    if "supersedes" in data:
        mapping["supersedes"] = data["supersedes"].code if data["supersedes"] else None
    return mapping


class PolicyWritePermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or user_may_edit_policies(request.user)


class RewardPolicyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = RewardPolicySerializer
    permission_classes = [permissions.IsAuthenticated, PolicyWritePermission]
    lookup_field = "code"

    def get_queryset(self):
        return reward_policy_list()

    def perform_create(self, serializer):
        values = policy_values_from_mapping(_file_mapping(serializer.validated_data))
        if RewardPolicy.objects.filter(code=values.code).exists():
            raise RewardError(_("Policy %(code)s exists; change it with PUT or PATCH.") % {"code": values.code},
                              code="policy_exists", http_status=400)
        serializer.instance = reward_policy_save(values=values, by=self.request.user)

    def perform_update(self, serializer):
        policy = serializer.instance
        mapping = {**reward_policy_mapping(policy), **_file_mapping(serializer.validated_data)}
        if mapping["code"] != policy.code:
            raise RewardError(_("The code of a policy cannot change; load a new version."), code="code_fixed",
                              http_status=400)
        serializer.instance = reward_policy_save(values=policy_values_from_mapping(mapping), by=self.request.user)


class EntitlementSerializer(serializers.ModelSerializer):
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    recognized_on = serializers.DateField(source="title.recognized_on", read_only=True)
    policy = serializers.SlugRelatedField(slug_field="code", read_only=True)
    fund = serializers.CharField(source="policy.fund.code", read_only=True, allow_null=True, default=None)
    amount = serializers.DecimalField(**MONEY, read_only=True)

    class Meta:
        model = Entitlement
        fields = [
            "id", "credit_code", "enterprise_name", "tier", "basis", "step", "recognized_on", "policy", "fund",
            "amount", "status", "explanation_zh", "explanation_en", "created_at",
        ]
        read_only_fields = fields


class EntitlementViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EntitlementSerializer

    def get_queryset(self):
        return entitlement_list(user=self.request.user).order_by("-created_at", "-pk")


router = SimpleRouter()
router.register("reward-policies", RewardPolicyViewSet, basename="reward-policy")
router.register("entitlements", EntitlementViewSet, basename="entitlement")
router.register("payouts", PayoutViewSet, basename="payout")
router.register("reward-rounds", RewardRoundViewSet, basename="reward-round")
urlpatterns = router.urls
