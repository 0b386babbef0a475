"""Admin: issuers are configuration (name, mark, number prefix, seal); documents are read-only."""

from django.contrib import admin

from .models import Document, Issuer, NumberSequence


@admin.register(Issuer)
class IssuerAdmin(admin.ModelAdmin):
    list_display = ("name", "mark_text", "number_prefix", "office", "is_default")


@admin.register(NumberSequence)
class NumberSequenceAdmin(admin.ModelAdmin):
    """Shown for the record: numbers are taken by document_issue only."""

    list_display = ("issuer", "year", "last_serial")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read-only: issuing, voiding and re-rendering go through the services (and the step log)."""

    list_display = ("number", "title", "kind", "enterprise", "issued_on", "status", "render_state")
    list_filter = ("kind", "status", "render_state", "issuer")
    search_fields = ("number", "title", "token")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
