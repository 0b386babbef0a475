from django.contrib import admin

from .forms import RewardPolicyForm
from .models import Entitlement, Fund, FundBudget, PastAward, RewardPolicy
from .services import reward_policy_save


class FundBudgetInline(admin.TabularInline):
    model = FundBudget
    extra = 1


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    inlines = [FundBudgetInline]


@admin.register(RewardPolicy)
class RewardPolicyAdmin(admin.ModelAdmin):
    """Saves through ``reward_policy_save``: the overlap and in-use rules hold here too."""

    form = RewardPolicyForm
    list_display = ("code", "name", "fund", "recognized_from", "recognized_to", "top_up", "champion_basis")
    list_filter = ("fund",)
    filter_horizontal = ("jurisdictions",)

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        obj.pk = reward_policy_save(values=form.policy_values, by=request.user).pk

    def save_related(self, request, form, formsets, change):
        pass  # the service set the jurisdictions


@admin.register(PastAward)
class PastAwardAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "tier", "level", "amount", "awarded_on", "source")
    list_filter = ("level", "tier")
    search_fields = ("enterprise__name", "enterprise__credit_code")
    autocomplete_fields = ("enterprise",)


@admin.register(Entitlement)
class EntitlementAdmin(admin.ModelAdmin):
    """Read-only: entitlements are computed, never typed."""

    list_display = ("enterprise", "tier", "basis", "policy", "amount", "status", "created_at")
    list_filter = ("status", "policy", "tier")
    search_fields = ("enterprise__name", "enterprise__credit_code")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
