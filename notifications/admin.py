"""Admin: notifications and their deliveries (read-only, with failures findable), channels, expiry reminders."""

from django.contrib import admin

from .models import ChannelPreference, Delivery, Notification, TitleReminder


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ("channel", "address", "status", "attempts", "last_error", "next_attempt_at", "sent_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("subject", "recipient", "kind", "enterprise", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("subject", "recipient__username", "enterprise__name")
    list_select_related = ("recipient", "enterprise")
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("notification", "channel", "address", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status", "channel")
    search_fields = ("address", "notification__subject", "last_error")
    list_select_related = ("notification",)


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email", "sms", "phone")
    search_fields = ("user__username", "phone")
    raw_id_fields = ("user",)


@admin.register(TitleReminder)
class TitleReminderAdmin(ReadOnlyAdmin):
    list_display = ("title", "days", "valid_until", "sent_on")
    list_filter = ("days",)
    list_select_related = ("title__enterprise",)
