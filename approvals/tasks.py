"""Celery tasks of the approvals app: thin callers of the services."""

from celery import shared_task
from django.conf import settings

from enterprises.models import User
from steplog.services import audit_checkpoint_export, chain_verify

from .services.sla import due_timers_run


@shared_task(name="approvals.run_due_timers", ignore_result=True)
def run_due_timers() -> dict:
    """Reminders, escalations and viewflow's timers; on the beat schedule (CELERY_BEAT_SCHEDULE)."""
    return due_timers_run()


@shared_task(name="approvals.verify_chain", ignore_result=True)
def verify_chain(by_id: int | None = None) -> None:
    chain_verify(by=User.objects.filter(pk=by_id).first() if by_id else None)


@shared_task(name="approvals.export_checkpoint", ignore_result=True)
def export_checkpoint() -> str:
    """Daily: write a checkpoint file where TIDU_AUDIT_CHECKPOINT_DIR points (ideally another machine's mount)."""
    return str(audit_checkpoint_export(directory=settings.TIDU_AUDIT_CHECKPOINT_DIR))
