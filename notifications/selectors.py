"""Reads: a user's own notifications (nobody else's, ever) and who should be told about an enterprise."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from enterprises.models import Enterprise, Jurisdiction, Role, User

from .models import ChannelPreference, Notification


def notifications_for(*, user: User, unread: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first; only unread ones when ``unread``."""
    notifications = Notification.objects.filter(recipient=user)
    return notifications.filter(read_at__isnull=True) if unread else notifications


def notification_get(*, user: User, pk: int) -> Notification:
    """One of the user's own notifications; 404 for anyone else's, as for one that does not exist."""
    return get_object_or_404(notifications_for(user=user), pk=pk)


def unread_count(*, user: User) -> int:
    return notifications_for(user=user, unread=True).count()


def channel_preference_for(*, user: User) -> ChannelPreference:
    """The user's channels; an unsaved default (e-mail on, SMS off) when they never chose."""
    return ChannelPreference.objects.filter(user=user).first() or ChannelPreference(user=user)


def enterprise_users(*, enterprise: Enterprise) -> QuerySet[User]:
    """The active users of the enterprise."""
    return User.objects.filter(role=Role.ENTERPRISE, enterprise=enterprise, is_active=True)


def district_reviewers(*, jurisdiction: Jurisdiction) -> QuerySet[User]:
    """The active district reviewers of the jurisdiction."""
    return User.objects.filter(role=Role.DISTRICT_REVIEWER, jurisdiction=jurisdiction, is_active=True)


def city_reviewers() -> QuerySet[User]:
    """The active city reviewers."""
    return User.objects.filter(role=Role.CITY_REVIEWER, is_active=True)
