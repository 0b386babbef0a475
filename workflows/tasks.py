"""Celery tasks of the workflows app: thin callers of the services."""

from celery import shared_task

from .services.entitlements_owed import entitlements_owed_compute
from .services.pool import pool_refresh_evaluate_run
from .services.rediagnosis import coaching_rediagnosis_run


@shared_task(name="workflows.entitlements_owed", ignore_result=True)
def entitlements_owed() -> dict:
    """Titles still owed their entitlements; on the beat schedule (CELERY_BEAT_SCHEDULE)."""
    return entitlements_owed_compute()


@shared_task(
    name="workflows.pool_refresh_evaluate",
    # Redelivered if the worker dies: the evaluation is one transaction (a lost run wrote nothing)
    # and a second delivery finds the refresh evaluated.
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=1800,
    soft_time_limit=1700,
)
def pool_refresh_evaluate_task(refresh_id: int, by_id: int, language: str = "") -> int:
    """Evaluate one annual refresh (exit proposals); the refresh page polls its progress."""
    return pool_refresh_evaluate_run(refresh_id=refresh_id, by_id=by_id, language=language)


@shared_task(
    name="workflows.coaching_rediagnosis",
    # Redelivered if the worker dies: each plan is re-diagnosed in its own transaction, and only
    # while it is still measured by a replaced version, so a second delivery does the rest.
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=1800,
    soft_time_limit=1700,
)
def coaching_rediagnosis_task() -> int:
    """Re-diagnose the open coaching plans a criteria correction left measured by the old version."""
    return coaching_rediagnosis_run()
