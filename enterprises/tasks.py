"""Celery tasks of the registry: thin callers of the services."""

from celery import shared_task

from .services.import_jobs import import_job_run, import_jobs_stalled_sweep


@shared_task(
    name="enterprises.import_job_run",
    # Acknowledged only when done and redelivered if the worker dies: the job row makes a
    # second delivery harmless (import_job_run), and a lost run wrote nothing.
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=1800,
    soft_time_limit=1700,
)
def import_job_run_task(job_id: int) -> str:
    """Import one queued list; the job row says how it went."""
    return import_job_run(job_id=job_id).state


@shared_task(name="enterprises.import_jobs_stalled", ignore_result=True)
def import_jobs_stalled() -> dict:
    """Imports queued but never started, or whose worker died; on the beat schedule."""
    return import_jobs_stalled_sweep()
