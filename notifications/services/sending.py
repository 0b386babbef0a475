"""Sending deliveries: at most once each, failures recorded on the row and retried with backoff."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from steplog.dispatch import tasks_queue

from ..models import Channel, Delivery, DeliveryStatus
from ..sms import sms_send

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500


def deliveries_queue(*, delivery_ids: list[int]) -> None:
    """Hand each delivery to the worker (``notifications.send_delivery``); called after commit."""
    from ..tasks import send_delivery  # the task module imports these services

    tasks_queue(send_delivery, ((delivery_id,) for delivery_id in delivery_ids))


def delivery_send(*, delivery_id: int, now: datetime.datetime | None = None) -> bool:
    """Send one delivery once: lock its row, skip it unless pending or failed, send, record the outcome.

    The row stays locked while the message leaves, so a second sender (the task and the
    sweep racing, or a redelivered task) waits and then finds it sent. A failure is never
    raised: the error, the attempt count and the time of the next attempt (exponential
    backoff) are recorded on the row. Gives up after ``TIDU_NOTIFICATION_MAX_ATTEMPTS``.
    Returns True when this call sent it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("notification")
            .filter(pk=delivery_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED])
            .filter(attempts__lt=settings.TIDU_NOTIFICATION_MAX_ATTEMPTS)
            .first()
        )
        if delivery is None:
            return False  # sent meanwhile, or given up
        delivery.attempts += 1
        try:
            CHANNEL_SENDERS[delivery.channel](delivery)
        except Exception as error:  # any gateway or SMTP error: recorded, retried by the sweep
            _failed(delivery, error, now)
        else:
            delivery.status, delivery.sent_at, delivery.next_attempt_at = DeliveryStatus.SENT, now, None
        delivery.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
    return delivery.status == DeliveryStatus.SENT


def notifications_send_due(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The sweep: failed deliveries whose backoff has passed and pending ones never picked up, once each.

    Idempotent; beat runs it every minute and ``manage.py run_due_timers`` with the other sweeps.
    """
    now = now or timezone.now()
    # A pending delivery this old was queued but never picked up (broker down, worker lost).
    stale = now - datetime.timedelta(seconds=settings.TIDU_SWEEP_STALLED_SECONDS)
    due = Delivery.objects.filter(attempts__lt=settings.TIDU_NOTIFICATION_MAX_ATTEMPTS).filter(
        Q(status=DeliveryStatus.FAILED, next_attempt_at__lte=now)
        | Q(status=DeliveryStatus.PENDING, created_at__lte=stale)
    )
    ids = list(due.order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH])
    sent = sum(delivery_send(delivery_id=pk, now=now) for pk in ids)
    return {"notifications_sent": sent, "notifications_failed": len(ids) - sent}


def _failed(delivery: Delivery, error: Exception, now: datetime.datetime) -> None:
    delivery.status = DeliveryStatus.FAILED
    delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
    minutes = settings.TIDU_NOTIFICATION_RETRY_MINUTES * 2 ** (delivery.attempts - 1)
    delivery.next_attempt_at = now + datetime.timedelta(minutes=min(minutes, 24 * 60))
    logger.warning("Notification delivery %s (%s) failed: %s", delivery.pk, delivery.channel, delivery.last_error)


def _absolute(link: str) -> str:
    return f"{settings.TIDU_PUBLIC_URL}{link}" if link.startswith("/") else link


def _send_email(delivery: Delivery) -> None:
    notification = delivery.notification
    body = notification.body
    if notification.link:
        body = f"{body}\n\n{_absolute(notification.link)}"
    send_mail(notification.subject, body, None, [delivery.address], fail_silently=False)


def _send_sms(delivery: Delivery) -> None:
    notification = delivery.notification
    sms_send(phone=delivery.address, text=f"{notification.subject}: {notification.body}")


CHANNEL_SENDERS = {Channel.EMAIL: _send_email, Channel.SMS: _send_sms}
