"""The Celery worker SIGKILLed (with its pool process) mid document rendering, mid entitlement
computation and mid bulk import, then started again beside the sweeper: every document exists
once with one number and a PDF, every entitlement once, the import either complete or reported
failed with nothing half-written.

The killed worker acknowledged nothing, so Redis keeps its message until the visibility
timeout (an hour); what brings the work back at once is the database: the sweeps find the
documents still pending, the titles without entitlements, the import left running unlocked.
"""

import datetime
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count

from harness import celery_worker, outcome, sweeper, wait_for
from documents.models import Document, DocumentKind, NumberSequence, RenderState
from documents.samples import SAMPLE_CONTEXTS
from documents.services import document_issue
from enterprises.models import Enterprise, ImportJob, ImportJobState, Tier, Title
from enterprises.services.import_jobs import enterprises_import_submit
from rewards.models import Entitlement
from steplog.models import Step
from tests.enterprises.import_files import code, csv_bytes, sample_rows
from tests.factories import EnterpriseFactory
from workflows.services.recognition import recognition_record

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]

DOCUMENTS = 12
TITLES = 20
IMPORT_ROWS = 6000


def pending_and_ready() -> tuple[int, int]:
    ready = Document.objects.filter(render_state=RenderState.READY).count()
    return Document.objects.count() - ready, ready


def test_worker_killed_mid_render(step_log_flushable, cast, children):
    with transaction.atomic():
        for _ in range(DOCUMENTS):
            document_issue(kind=DocumentKind.POOL_ENTRY_NOTICE, by=cast.city, enterprise=cast.own, subject=None,
                           context=SAMPLE_CONTEXTS["pool_entry_notice"])
    worker = children(celery_worker())
    assert wait_for(lambda: pending_and_ready()[1] >= 1, 120), "no render finished"
    worker.kill()
    pending, ready = pending_and_ready()

    children(celery_worker())
    children(sweeper())
    started = time.monotonic()
    assert wait_for(lambda: pending_and_ready()[0] == 0, 180), "renders did not all finish after the restart"
    recovered = time.monotonic() - started

    documents = list(Document.objects.all())
    assert len(documents) == DOCUMENTS == len({document.number for document in documents})
    assert NumberSequence.objects.get().last_serial == DOCUMENTS
    assert all(document.pdf.open("rb").read(5) == b"%PDF-" for document in documents)
    outcome(f"worker killed mid render ({ready} of {DOCUMENTS} rendered, {pending} pending): after the restart "
            f"{DOCUMENTS} documents, {DOCUMENTS} numbers, {DOCUMENTS} PDFs, in {recovered:.1f} s — PASS")


def test_worker_killed_mid_entitlements(step_log_flushable, cast, zj2023, children):
    enterprises = [EnterpriseFactory() for _ in range(TITLES)]
    with transaction.atomic():
        for enterprise in enterprises:
            recognition_record(enterprise=enterprise, tier=Tier.LITTLE_GIANT, recognized_on=datetime.date(2024, 6, 1),
                               kind="first", by=cast.city, batch="第六批")
    computed = Title.objects.filter(entitlements__isnull=False).distinct().count
    worker = children(celery_worker())
    assert wait_for(lambda: computed() >= 1, 120), "no entitlement computed"
    worker.kill()
    at_kill = computed()

    children(celery_worker())
    children(sweeper())
    started = time.monotonic()
    assert wait_for(lambda: computed() == TITLES, 180), "titles still without entitlements after the restart"
    recovered = time.monotonic() - started

    per_title = Entitlement.objects.values("title", "policy").annotate(n=Count("pk"))
    assert {row["n"] for row in per_title} == {1} and len(per_title) == TITLES
    assert Step.objects.filter(action="entitlement.compute").count() == Entitlement.objects.count()
    outcome(f"worker killed mid entitlement computation ({at_kill} of {TITLES} titles done): after the restart "
            f"{TITLES} titles with one entitlement each and one step each, in {recovered:.1f} s — PASS")


def test_worker_killed_mid_import(step_log_flushable, cast, settings, children):
    settings.TIDU_IMPORT_ASYNC_ROWS = 100
    upload = SimpleUploadedFile("名单.csv", csv_bytes(sample_rows(IMPORT_ROWS)))
    with transaction.atomic():
        job = enterprises_import_submit(upload=upload, by=cast.city)
    assert isinstance(job, ImportJob)
    state = lambda: ImportJob.objects.get(pk=job.pk).state  # noqa: E731
    worker = children(celery_worker())
    assert wait_for(lambda: state() == ImportJobState.RUNNING, 120), "the import never started"
    time.sleep(1.0)  # well into its batches (it takes several seconds for this many rows)
    assert state() == ImportJobState.RUNNING, "the import finished before the kill: use more rows"
    worker.kill()
    imported = Enterprise.objects.filter(credit_code__in=[code(n) for n in range(1, IMPORT_ROWS + 1)]).count
    assert imported() == 0, "a killed import left rows behind"

    children(celery_worker())
    children(sweeper())
    started = time.monotonic()
    assert wait_for(lambda: state() in (ImportJobState.DONE, ImportJobState.FAILED), 180), "the job stayed running"
    recovered = time.monotonic() - started
    final = ImportJob.objects.get(pk=job.pk)
    assert imported() == (IMPORT_ROWS if final.state == ImportJobState.DONE else 0)
    outcome(f"worker killed mid import of {IMPORT_ROWS} rows: 0 rows were left behind; after the restart the job is "
            f"{final.state} with {imported()} rows written ({final.error or 'complete'}), in {recovered:.1f} s — PASS")
