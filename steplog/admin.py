"""Admin: the step log, its checkpoints and verifications, read-only."""

from django.contrib import admin

from .models import ChainVerification, Checkpoint, Step


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by services: administrators may look, never touch."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Step)
class StepAdmin(ReadOnlyAdmin):
    list_display = ("seq", "created_at", "actor_name", "actor_role", "action", "object_type", "object_id")
    list_filter = ("action", "actor_role")
    search_fields = ("object_id", "actor_name", "comment")
    show_full_result_count = False


admin.site.register(Checkpoint, ReadOnlyAdmin)
admin.site.register(ChainVerification, ReadOnlyAdmin)
