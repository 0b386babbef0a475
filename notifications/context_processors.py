"""The unread count the menu shows beside the inbox."""

from functools import cache

from .selectors import unread_count


def unread_notifications(request) -> dict:
    """``notifications_unread``: counted only if a template shows it, and once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": cache(lambda: unread_count(user=user))}
