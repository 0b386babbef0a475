"""Celery tasks of the workflows app: thin callers of the services."""

from celery import shared_task

from .services.entitlements_owed import entitlements_owed_compute


@shared_task(name="workflows.entitlements_owed", ignore_result=True)
def entitlements_owed() -> dict:
    """Titles still owed their entitlements; on the beat schedule (CELERY_BEAT_SCHEDULE)."""
    return entitlements_owed_compute()

