"""Documents issued at the same moment never share a number, and no number is skipped.

Needs PostgreSQL: SQLite ignores row locks (and serialises writers anyway).
"""

import pytest
from django.db import transaction

from documents.models import Document, DocumentKind
from documents.samples import SAMPLE_CONTEXTS
from documents.services import document_issue
from documents.tasks import document_render_task
from tests.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WRITERS = 8


def test_simultaneous_issues_get_distinct_gapless_numbers(step_log_flushable, cast, monkeypatch):
    monkeypatch.setattr(document_render_task, "delay", lambda document_id: None)  # numbering only

    def issue_one():
        with transaction.atomic():
            return document_issue(
                kind=DocumentKind.POOL_ENTRY_NOTICE,
                by=cast.city,
                enterprise=cast.own,
                subject=None,
                context=SAMPLE_CONTEXTS["pool_entry_notice"],
            )

    results = race([issue_one] * WRITERS)
    assert [r for r in results if isinstance(r, Exception)] == []
    serials = sorted(Document.objects.values_list("serial", flat=True))
    assert serials == list(range(1, WRITERS + 1))
    assert Document.objects.values("number").distinct().count() == WRITERS
