"""A real Celery worker on the configured broker renders a document issued in a committed
transaction. Runs with ``make test`` (Redis and PostgreSQL); skipped without a broker."""

import os
import time
import uuid

import pytest
from django.db import transaction

from documents.models import Document, DocumentKind, RenderState
from documents.samples import SAMPLE_CONTEXTS
from documents.services import document_issue
from documents.tasks import document_render_task

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL (a Redis broker)"),
]


@pytest.fixture
def worker(monkeypatch):
    """An embedded worker consuming a queue of its own, so parallel runs never steal its tasks."""
    from celery.contrib.testing.worker import start_worker

    from project.celery import app

    queue = f"documents-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(
        document_render_task, "delay", lambda *args: document_render_task.apply_async(args, queue=queue)
    )
    with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=30):
        yield


def wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)  # polling a real worker: no way around waiting
    return False


def test_a_committed_issue_is_rendered_by_the_worker(step_log_flushable, cast, worker):
    with transaction.atomic():
        document = document_issue(
            kind=DocumentKind.POOL_ENTRY_NOTICE,
            by=cast.city,
            enterprise=cast.own,
            subject=None,
            context=SAMPLE_CONTEXTS["pool_entry_notice"],
        )
        assert Document.objects.get(pk=document.pk).render_state == RenderState.PENDING
    assert wait_for(lambda: Document.objects.get(pk=document.pk).render_state == RenderState.READY)
    rendered = Document.objects.get(pk=document.pk)
    assert rendered.pdf.read()[:5] == b"%PDF-" and rendered.page_count == 3
