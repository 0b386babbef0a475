"""Writes of the notifications app. Other apps call ``notify``; the sweeps run from beat and ``run_due_timers``."""

from .expiry import EXPIRY_THRESHOLDS, title_expiry_reminders_send
from .inbox import channel_preference_save, notification_mark_read, notifications_mark_all_read
from .notify import notify
from .sending import deliveries_queue, delivery_send, notifications_send_due

__all__ = [
    "EXPIRY_THRESHOLDS",
    "channel_preference_save",
    "deliveries_queue",
    "delivery_send",
    "notification_mark_read",
    "notifications_mark_all_read",
    "notifications_send_due",
    "notify",
    "title_expiry_reminders_send",
]
