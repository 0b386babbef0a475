"""The reader's own actions: mark read, mark all read, choose channels."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import User

from ..exceptions import NotificationError
from ..models import ChannelPreference, Notification


def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    """Mark one of ``by``'s own notifications read (the first reading time is kept). Raises for anyone else's."""
    if notification.recipient_id != by.pk:
        raise NotificationError(_("This notification is not yours."), code="not_found", http_status=404)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def channel_preference_save(*, user: User, email: bool, sms: bool, phone: str = "") -> ChannelPreference:
    """Record which channels besides the inbox the user wants. SMS needs a mobile number."""
    phone = phone.strip()
    if sms and not phone:
        raise NotificationError(_("Enter a mobile phone number to receive SMS."), code="phone_required")
    preference, _created = ChannelPreference.objects.select_for_update().get_or_create(user=user)
    preference.email, preference.sms, preference.phone = email, sms, phone
    preference.save()
    return preference
