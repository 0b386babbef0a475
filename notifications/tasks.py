"""Celery tasks of the notifications app: thin callers of the services."""

from celery import shared_task
from django.db import DatabaseError

from .services import delivery_send, notifications_send_due, title_expiry_reminders_send


@shared_task(
    name="notifications.send_delivery",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # A failed send is recorded on the row and retried by the sweep; these are the database
    # being unreachable, where nothing could be recorded.
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def send_delivery(delivery_id: int) -> bool:
    """Send one delivery (queued after the commit of the step that caused it); at most once."""
    return delivery_send(delivery_id=delivery_id)


@shared_task(name="notifications.send_due", ignore_result=True, acks_late=True)
def send_due() -> dict:
    """Every minute on the beat schedule: retry failed deliveries and send stranded ones."""
    return notifications_send_due()


@shared_task(name="notifications.remind_expiring_titles", ignore_result=True, acks_late=True)
def remind_expiring_titles() -> dict:
    """Daily on the beat schedule: title-expiry reminders 180, 90 and 30 days ahead."""
    return title_expiry_reminders_send()
