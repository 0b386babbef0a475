"""Documents issued at the same moment never share a number, and no number is skipped.

Needs PostgreSQL: SQLite ignores row locks (and serialises writers anyway).
"""

import threading

import pytest
from django.db import connection, transaction

from documents.models import Document, DocumentKind
from documents.samples import SAMPLE_CONTEXTS
from documents.services import document_issue
from documents.tasks import document_render_task

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WRITERS = 8


def test_simultaneous_issues_get_distinct_gapless_numbers(step_log_flushable, cast, monkeypatch):
    monkeypatch.setattr(document_render_task, "delay", lambda document_id: None)  # numbering only
    start = threading.Barrier(WRITERS)
    errors = []

    def issue_one():
        try:
            start.wait()
            with transaction.atomic():
                document_issue(
                    kind=DocumentKind.POOL_ENTRY_NOTICE,
                    by=cast.city,
                    enterprise=cast.own,
                    subject=None,
                    context=SAMPLE_CONTEXTS["pool_entry_notice"],
                )
        except Exception as error:  # reported below, with the thread's own failure
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue_one) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    serials = sorted(Document.objects.values_list("serial", flat=True))
    assert serials == list(range(1, WRITERS + 1))
    assert Document.objects.values("number").distinct().count() == WRITERS
