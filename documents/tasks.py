"""Celery tasks of the documents app: thin callers of the services."""

import logging

from celery import shared_task

from .models import Document
from .services import document_render, document_render_failed, documents_render_stalled

logger = logging.getLogger(__name__)

RENDER_RETRIES = 3
RENDER_BACKOFF_SECONDS = 10


@shared_task(
    bind=True,
    name="documents.render",
    # Acknowledged only when done, and redelivered if the worker dies: the render is
    # idempotent (documents.services.document_render), so a second delivery is harmless.
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=RENDER_RETRIES,
    time_limit=300,
    soft_time_limit=240,
)
def document_render_task(self, document_id: int) -> str:
    """Render one document's PDF; retry with growing pauses, then mark it failed."""
    retries = self.request.retries
    while True:
        try:
            return document_render(document_id=document_id).render_state
        except Document.DoesNotExist:
            logger.warning("Document %s vanished before its render", document_id)
            return "missing"
        except Exception as exc:  # any renderer or storage failure is worth another try
            final = retries >= self.max_retries
            document_render_failed(document_id=document_id, error=f"{type(exc).__name__}: {exc}", final=final)
            if final:
                logger.exception("Rendering document %s failed for good", document_id)
                return "failed"
            if not self.request.is_eager:
                raise self.retry(exc=exc, countdown=RENDER_BACKOFF_SECONDS * 2**retries) from exc
            retries += 1  # eager (no broker): nothing would come back later, so try again now


@shared_task(name="documents.requeue_stalled")
def documents_requeue_stalled() -> int:
    """Queue again the renders of documents pending for long (documents_render_stalled)."""
    return documents_render_stalled()["documents_requeued"]
