"""``notify``: the one way any stage tells people something."""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from enterprises.models import Enterprise, User

from ..models import Channel, ChannelPreference, Delivery, DeliveryStatus, Notification
from .sending import deliveries_queue

SUBJECT_MAX = Notification._meta.get_field("subject").max_length
# A notice's text: final, or a function that words it in the active language (called once per
# language of the site, so every reader's inbox shows it in theirs).
Wording = str | Callable[[], str]


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    subject: Wording,
    body: Wording,
    link: str = "",
    enterprise: Enterprise | None = None,
) -> list[Notification]:
    """Write one notification per recipient, with a delivery per channel it goes out on; send after commit.

    Runs in the caller's transaction (no savepoint): the notices exist if and only if the
    step that caused them commits, and e-mail / SMS are queued with ``transaction.on_commit``,
    so nothing leaves for work that was rolled back. The inbox delivery is the row itself
    (sent at once); e-mail and SMS follow each user's channel preference and need an
    address. Inactive users and duplicates are skipped. ``subject`` and ``body`` are final
    text, or functions that word it: the stored text (and e-mail / SMS) is then in the site's
    language and the inbox shows each reader the wording in theirs. Returns the notifications.
    """
    users = _distinct_active(recipients)
    if not users:
        return []
    subject, body, wording = _worded(subject, body)
    preferences = {pref.user_id: pref for pref in ChannelPreference.objects.filter(user__in=users)}
    now = timezone.now()
    with transaction.atomic(savepoint=False):
        notifications = Notification.objects.bulk_create(
            Notification(recipient=user, enterprise=enterprise, kind=kind, subject=subject[:SUBJECT_MAX], body=body,
                         wording=wording, link=link)
            for user in users
        )
        deliveries = Delivery.objects.bulk_create(
            delivery
            for notification, user in zip(notifications, users)
            for delivery in _deliveries(notification, user, preferences.get(user.pk), now)
        )
        pending = [delivery.pk for delivery in deliveries if delivery.status == DeliveryStatus.PENDING]
        if pending:
            # robust: a broker that is down must not turn a committed step into an error page;
            # the sweep (notifications_send_due) sends what was never picked up.
            transaction.on_commit(lambda: deliveries_queue(delivery_ids=pending), robust=True)
    return notifications


def _worded(subject: Wording, body: Wording) -> tuple[str, str, dict]:
    """The site-language subject and body, and the wording in each other language of the site."""

    def in_language(language: str) -> tuple[str, str]:
        with translation.override(language):
            return tuple(str(text()) if callable(text) else text for text in (subject, body))

    site_subject, site_body = in_language(settings.LANGUAGE_CODE)
    wording = {}
    if callable(subject) or callable(body):
        for language, _name in settings.LANGUAGES:
            if language != settings.LANGUAGE_CODE:
                other_subject, other_body = in_language(language)
                wording[language] = {"subject": other_subject[:SUBJECT_MAX], "body": other_body}
    return site_subject, site_body, wording


def _distinct_active(recipients: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for user in recipients:
        if user is not None and user.is_active and user.pk not in seen:
            seen[user.pk] = user
    return list(seen.values())


def _deliveries(notification: Notification, user: User, preference: ChannelPreference | None, now) -> list[Delivery]:
    preference = preference or ChannelPreference(user=user)
    deliveries = [Delivery(notification=notification, channel=Channel.INBOX, status=DeliveryStatus.SENT, sent_at=now)]
    if preference.email and user.email:
        deliveries.append(Delivery(notification=notification, channel=Channel.EMAIL, address=user.email))
    if preference.sms and preference.phone:
        deliveries.append(Delivery(notification=notification, channel=Channel.SMS, address=preference.phone))
    return deliveries
