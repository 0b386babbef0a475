"""The render task: retries with backoff, a visible failure, the user's retry, idempotence."""

import io

import pytest
from django.core.files.storage import default_storage

from steplog.models import Step
from documents import layout
from documents.exceptions import DocumentError
from documents.models import Document, NumberSequence, RenderState
from documents.services import document_render, document_render_retry
from documents.tasks import RENDER_RETRIES, document_render_task, documents_requeue_stalled

from .conftest import fresh

pytestmark = pytest.mark.django_db


class FlakyRenderer:
    """Fails the first ``failures`` renders, then renders for real."""

    def __init__(self, failures):
        self.failures, self.calls = failures, 0
        self.real = layout.document_pdf

    def __call__(self, source):
        self.calls += 1
        if self.calls <= self.failures:
            raise OSError("font cache unreadable")
        return self.real(source)


@pytest.fixture
def flaky(monkeypatch):
    def install(failures):
        renderer = FlakyRenderer(failures)
        monkeypatch.setattr(layout, "document_pdf", renderer)
        return renderer

    return install


def test_a_passing_hiccup_is_retried_and_the_pdf_arrives(cast, issue, flaky):
    renderer = flaky(failures=2)
    document = issue(enterprise=cast.own)
    assert renderer.calls == 3
    assert document.render_state == RenderState.READY
    assert document.render_attempts == 3 and document.render_error == ""


def test_the_task_backs_off_between_tries(cast, issue, monkeypatch):
    document = issue(enterprise=cast.own, render=False)
    monkeypatch.setattr(layout, "document_pdf", FlakyRenderer(failures=99))
    retries = []
    monkeypatch.setattr(document_render_task, "retry", lambda **kwargs: retries.append(kwargs) or RuntimeError("retry"))
    task = document_render_task
    task.push_request(retries=1, is_eager=False)
    try:
        with pytest.raises(RuntimeError):
            task.run(document.pk)
    finally:
        task.pop_request()
    assert retries[0]["countdown"] == 20
    assert fresh(document).render_state == RenderState.PENDING, "not failed while tries remain"


def test_after_the_last_try_the_document_shows_failed_and_a_user_can_retry(
    cast, issue, flaky, django_capture_on_commit_callbacks
):
    flaky(failures=RENDER_RETRIES + 1)
    document = issue(enterprise=cast.own)
    assert document.render_state == RenderState.FAILED
    assert "font cache unreadable" in document.render_error
    assert Step.objects.filter(action="document.render_fail", object_id=str(document.pk)).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        document_render_retry(document=document, by=cast.owner)
    document = fresh(document)
    assert document.render_state == RenderState.READY
    assert Step.objects.get(action="document.render_retry").actor == cast.owner


@pytest.mark.parametrize("who", ["auditor", "other_owner"])
def test_auditors_and_outsiders_cannot_retry(cast, issue, flaky, who):
    flaky(failures=RENDER_RETRIES + 1)
    document = issue(enterprise=cast.own)
    with pytest.raises(DocumentError) as refused:
        document_render_retry(document=document, by=getattr(cast, who))
    assert refused.value.code == "forbidden"


def test_only_a_failed_render_can_be_retried(cast, issue):
    document = issue(enterprise=cast.own)
    with pytest.raises(DocumentError) as refused:
        document_render_retry(document=document, by=cast.city)
    assert refused.value.code == "not_failed"


def test_a_second_delivery_of_the_task_changes_nothing(cast, issue):
    document = issue(enterprise=cast.own)
    assert document_render_task.apply(args=[document.pk]).get() == RenderState.READY
    again = fresh(document)
    assert (again.sha256, again.pdf.name, again.rendered_at) == (
        document.sha256,
        document.pdf.name,
        document.rendered_at,
    )
    assert Step.objects.filter(action="document.render").count() == 1
    assert NumberSequence.objects.get().last_serial == 1
    assert default_storage.listdir(f"documents/{document.year}")[1] == [document.pdf.name.rsplit("/", 1)[1]]


def test_a_worker_killed_midway_leaves_no_half_document(cast, issue, monkeypatch):
    document = issue(enterprise=cast.own, render=False)
    half = b"%PDF-1.7\n half a document"
    default_storage.save(document.stored_name, io.BytesIO(half))  # what a killed write leaves

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")  # dies between storing the file and recording it

    monkeypatch.setattr(Document, "render_succeed", killed)
    with pytest.raises(SystemExit):
        document_render(document_id=document.pk)
    monkeypatch.undo()
    pending = fresh(document)
    assert (pending.render_state, pending.pdf.name, pending.sha256) == (RenderState.PENDING, "", "")

    ready = document_render(document_id=document.pk)  # the redelivered task
    assert ready.render_state == RenderState.READY
    assert ready.pdf.read() != half and len(default_storage.listdir(f"documents/{document.year}")[1]) == 1
    assert (ready.number, NumberSequence.objects.get().last_serial) == (document.number, 1)


def test_stalled_renders_are_queued_again(cast, issue, monkeypatch):
    import datetime

    from django.utils import timezone

    document = issue(enterprise=cast.own, render=False)
    assert documents_requeue_stalled() == 0
    later = timezone.now() + datetime.timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert documents_requeue_stalled() == 1
    assert fresh(document).render_state == RenderState.READY


def test_the_demo_step_renders_what_is_still_pending(cast, issue):
    from documents.services.demo import render_documents

    document = issue(enterprise=cast.own, render=False)
    out = io.StringIO()
    render_documents(stdout=out)
    assert fresh(document).render_state == RenderState.READY
    assert "1 document(s) rendered now" in out.getvalue()
    render_documents(stdout=out)
    assert "0 document(s) rendered now" in out.getvalue()


def test_a_broker_outage_does_not_undo_the_issue(cast, issue, monkeypatch):
    from kombu.exceptions import OperationalError

    def broker_down(*args):  # what Celery raises when publishing finds no broker
        raise OperationalError("redis unreachable")

    monkeypatch.setattr(document_render_task, "delay", broker_down)
    document = issue(enterprise=cast.own)
    assert document.render_state == RenderState.PENDING and document.number.endswith("1号")
