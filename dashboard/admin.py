"""Admin: plan periods (the next plan is added here) and the banks' white-list tokens.

A token is issued and revoked only through ``dashboard.services``: adding one shows its key
once, in the confirmation message; the revoke action and unticking "active" revoke it.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .exceptions import DashboardError
from .models import PlanPeriod, WhiteListToken
from .services import white_list_token_issue, white_list_token_revoke


@admin.register(PlanPeriod)
class PlanPeriodAdmin(admin.ModelAdmin):
    list_display = ("name", "from_year", "to_year", "champions", "little_giants", "srdi", "innovative", "pool")
    fieldsets = [
        (None, {"fields": ["name", "from_year", "to_year", "source"]}),
        (gettext_lazy("Titles and pool"), {"fields": ["champions", "little_giants", "srdi", "innovative", "pool"]}),
        (gettext_lazy("Indicators of the SRDI firms"), {"fields": [
            "rd_intensity", "invention_patents_per_firm", "cnc_rate", "digital_management_rate",
            "digital_rd_tools_rate", "smart_workshops", "green_factories", "listed_firms", "equity_board_firms",
            "jiangsu_premium", "design_centres",
        ]}),
    ]


@admin.register(WhiteListToken)
class WhiteListTokenAdmin(admin.ModelAdmin):
    list_display = ("bank_name", "key_prefix", "active", "issued_at", "issued_by", "revoked_at")
    list_filter = ("active",)
    search_fields = ("bank_name",)
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return ["bank_name"] if obj is None else ["bank_name", "key_prefix", "active", "issued_by", "issued_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["bank_name", "key_prefix", "issued_by", "issued_at", "revoked_at"]

    def has_delete_permission(self, request, obj=None):
        return False  # a revoked token stays on record, with the reads it made

    def save_model(self, request, obj, form, change):
        if not change:
            token, key = white_list_token_issue(bank_name=obj.bank_name, by=request.user)
            obj.pk = token.pk
            messages.warning(request, _("The key for %(bank)s, shown only this once: %(key)s") % {
                "bank": token.bank_name, "key": key,
            })
        elif "active" in form.changed_data and not obj.active:
            white_list_token_revoke(token=obj, by=request.user)
        elif "active" in form.changed_data:
            messages.error(request, _("A revoked token stays revoked: issue a new one."))

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        try:
            for token in queryset:
                white_list_token_revoke(token=token, by=request.user)
        except DashboardError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(request, _("Revoked."))
