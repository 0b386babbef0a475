"""Celery tasks of the rewards app: thin callers of the services."""

from celery import shared_task

from enterprises.models import Title


@shared_task(name="rewards.compute_entitlements", ignore_result=True)
def compute_entitlements(title_id: int) -> None:
    from .services import entitlements_compute

    title = Title.objects.filter(pk=title_id).first()
    if title is not None:  # the recognition was rolled back or deleted meanwhile
        entitlements_compute(title=title)
