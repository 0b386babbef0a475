"""Long enterprise lists go to the Celery worker as an ``ImportJob``; short ones are imported at once.

The page and the API call ``enterprises_import_submit``; the worker calls
``import_job_run``. The worker's import is the same ``enterprises_import`` as the page's,
in one transaction: the job is marked done in that transaction, so a job is either done
with everything written or not done with nothing written.
"""

import datetime
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from steplog.dispatch import task_queue_on_commit, tasks_queue

from ..exceptions import RegistryError
from ..models import ImportJob, ImportJobState, User
from .imports import IMPORT_PERMISSION, ImportReport, enterprises_import, opened_source
from .sheets import SpreadsheetError, rows_estimate, too_many_rows_message

logger = logging.getLogger(__name__)
PROGRESS_SECONDS = 24 * 3600


def enterprises_import_submit(
    *, upload, by: User, skip_invalid: bool = False, year: int | None = None
) -> ImportReport | ImportJob:
    """Import ``upload`` now if it is short, else queue an ``ImportJob`` for the worker.

    Above ``TIDU_IMPORT_ASYNC_ROWS`` rows the file is kept under VAR_DIR and the job is
    queued after the caller's transaction commits. Raises ``RegistryError`` when ``by``
    may not import and ``SpreadsheetError`` for an unreadable file or one above
    ``TIDU_IMPORT_MAX_ROWS`` rows (the message names the limit).
    """
    _require_permission(by)
    with opened_source(upload, "") as (stream, file_name):
        rows = max(rows_estimate(stream, file_name) - 1, 0)  # less the header line
        if rows > settings.TIDU_IMPORT_MAX_ROWS:
            raise SpreadsheetError(too_many_rows_message(settings.TIDU_IMPORT_MAX_ROWS))
        if rows <= settings.TIDU_IMPORT_ASYNC_ROWS:
            return enterprises_import(
                rows_source=stream, file_name=file_name, by=by, skip_invalid=skip_invalid, year=year
            )
        return _job_queue(stream, file_name, rows, by=by, skip_invalid=skip_invalid, year=year)


def _require_permission(by: User) -> None:
    if not by.has_perm(IMPORT_PERMISSION):
        raise RegistryError(_("You may not import enterprises."), code="forbidden", http_status=403)


def _job_queue(stream, file_name: str, rows: int, *, by: User, skip_invalid: bool, year) -> ImportJob:
    from ..tasks import import_job_run_task

    extension = file_name.rsplit(".", 1)[-1].lower()
    relative = Path("imports") / "uploads" / f"{uuid.uuid4().hex}.{extension}"
    stored = Path(settings.VAR_DIR) / relative
    stored.parent.mkdir(parents=True, exist_ok=True)
    sha256 = _copy(stream, stored)
    job = ImportJob.objects.create(
        created_by=by,
        file_name=file_name[:255],
        source=str(relative),
        sha256=sha256,
        year=year,
        skip_invalid=skip_invalid,
        language=translation.get_language() or "",
        rows_total=rows,
    )
    task_queue_on_commit(import_job_run_task, job.pk)
    return job


def _copy(stream, path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("wb") as out:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued job; a job already done or failed is left as it is (a second delivery).

    A delivery that finds the job running waits on its row lock and then finds it done;
    a job left running by a lost worker (its transaction rolled back) runs again.
    The import and ``done`` commit together; any error marks the job failed, with
    nothing of the import written. Progress (rows read) is kept in the cache meanwhile.
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.is_finished:
            return job
        job.start(at=timezone.now())
        job.save()
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE), transaction.atomic():
            job = ImportJob.objects.select_for_update().select_related("created_by").get(pk=job_id)
            if job.state != ImportJobState.RUNNING:
                return job
            report = enterprises_import(
                rows_source=Path(settings.VAR_DIR) / job.source,
                file_name=job.file_name,
                by=job.created_by,
                skip_invalid=job.skip_invalid,
                year=job.year,
                progress=lambda rows: cache.set(_progress_key(job_id), rows, PROGRESS_SECONDS),
            )
            job.finish(report=report.as_dict(), at=timezone.now())
            job.save()
    except RegistryError as error:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            return _job_fail(job_id, str(error))
    except Exception:  # the job must end failed, not stay running; the log has the cause
        logger.exception("import job %s failed", job_id)
        with translation.override(job.language or settings.LANGUAGE_CODE):
            return _job_fail(job_id, _("Unexpected error; nothing was written. Try again or ask an administrator."))
    (Path(settings.VAR_DIR) / job.source).unlink(missing_ok=True)
    return job


def import_jobs_stalled_sweep() -> dict[str, int]:
    """The sweep of import jobs older than ``TIDU_SWEEP_STALLED_SECONDS``: a job still queued
    (the broker was down) is queued again; a job running whose worker is gone is marked failed.

    A running job's worker holds the job's row lock for the whole import, so a running row
    that can be locked has lost its worker, and its import rolled back with it: failed, with
    nothing written (on SQLite, which has no row locks, only after the task's time limit).
    Idempotent; beat runs it (``enterprises.import_jobs_stalled``), and ``run_due_timers``.
    """
    from ..tasks import import_job_run_task

    now = timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.TIDU_SWEEP_STALLED_SECONDS)
    queued = ImportJob.objects.filter(state=ImportJobState.QUEUED, created_at__lt=cutoff)
    requeued = tasks_queue(import_job_run_task, queued.order_by("pk").values_list("pk"))
    if not connection.features.has_select_for_update_skip_locked:
        cutoff = min(cutoff, now - datetime.timedelta(seconds=import_job_run_task.time_limit))
    return {"imports_requeued": requeued, "imports_failed": _jobs_orphaned_fail(started_before=cutoff, now=now)}


def _jobs_orphaned_fail(*, started_before: datetime.datetime, now: datetime.datetime) -> int:
    with transaction.atomic():
        orphaned = list(
            ImportJob.objects.select_for_update(skip_locked=True).filter(
                state=ImportJobState.RUNNING, started_at__lt=started_before
            )
        )
        for job in orphaned:
            with translation.override(job.language or settings.LANGUAGE_CODE):
                job.fail(error=_("The import stopped when its worker was lost; nothing was written. "
                                 "Import the file again."), at=now)
            job.save()
    for job in orphaned:
        (Path(settings.VAR_DIR) / job.source).unlink(missing_ok=True)
    return len(orphaned)


def _job_fail(job_id: int, error: str) -> ImportJob:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if not job.is_finished:
            job.fail(error=error, at=timezone.now())
            job.save()
    (Path(settings.VAR_DIR) / job.source).unlink(missing_ok=True)
    return job


def _progress_key(job_id: int) -> str:
    return f"enterprises:import-job:{job_id}:rows"


def import_job_rows_done(job: ImportJob) -> int:
    """Rows read so far: the final count once finished, the worker's last batch while running."""
    if job.is_finished:
        return job.rows_done
    return cache.get(_progress_key(job.pk), 0)


def import_job_report(job: ImportJob) -> ImportReport | None:
    return ImportReport.from_dict(job.report) if job.report else None
