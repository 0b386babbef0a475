"""Admin: the working-day calendar (editable), the queues (read-only), and the user admin
extended so that role, jurisdiction and enterprise changes leave a step."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model

from enterprises.admin import TiduUserAdmin
from steplog.admin import ReadOnlyAdmin
from steplog.services import USER_SCOPE_FIELDS, user_scope_change_record

from .models import CalendarDay, CalendarYear, QueueTask
from .workdays import missing_calendar_warning


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 3
    fields = ("date", "is_workday", "note")


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source")
    inlines = [CalendarDayInline]

    def changelist_view(self, request, extra_context=None):
        warning = missing_calendar_warning()
        if warning:
            messages.warning(request, warning)
        return super().changelist_view(request, extra_context)


@admin.register(QueueTask)
class QueueTaskAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "role", "jurisdiction", "status", "claimed_by", "due_on", "escalated_at")
    list_filter = ("status", "role", "kind", "jurisdiction")
    list_select_related = ("jurisdiction", "claimed_by")
    show_full_result_count = False


User = get_user_model()


class AuditedUserAdmin(TiduUserAdmin):
    """Every change of who may see and decide what is a step in the audit trail."""

    def save_model(self, request, obj, form, change):
        before = User.objects.filter(pk=obj.pk).values(*USER_SCOPE_FIELDS).first() if change else None
        super().save_model(request, obj, form, change)
        user_scope_change_record(user=obj, before=before, by=request.user)


admin.site.unregister(User)
admin.site.register(User, AuditedUserAdmin)
