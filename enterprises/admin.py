from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import AnnualMetrics, Enterprise, IndustryChain, Jurisdiction, SourceListEntry, Title, User


@admin.register(User)
class TiduUserAdmin(UserAdmin):
    list_display = ("username", "role", "enterprise", "jurisdiction", "is_active")
    list_filter = ("role", "jurisdiction", "is_active")
    fieldsets = UserAdmin.fieldsets + (("Tidu", {"fields": ("role", "enterprise", "jurisdiction")}),)
    autocomplete_fields = ("enterprise",)


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "reward_covered", "sort_order")


@admin.register(IndustryChain)
class IndustryChainAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "active", "sort_order")


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "jurisdiction", "industry_chain")
    list_filter = ("jurisdiction", "industry_chain")
    search_fields = ("name", "credit_code")


admin.site.register(AnnualMetrics)
admin.site.register(Title)
admin.site.register(SourceListEntry)
