"""Rendering a document's PDF (run by the Celery task), recording failures, retrying."""

import base64
import hashlib
import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from enterprises.models import User
from steplog.dispatch import tasks_queue
from steplog.services import step_record

from ..exceptions import DocumentError
from ..models import Document, Issuer, RenderState
from ..selectors import document_ids_stalled, user_can_retry_render
from .issue import _queue_render

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def document_render(*, document_id: int) -> Document:
    """Render and store the PDF of a pending document. Idempotent.

    A document that is no longer pending (rendered by an earlier delivery of the same
    task, or failed) is returned as it is. The PDF is rendered and written to storage
    outside any transaction, under a name fixed by the document, so a repeated delivery
    rewrites the same file instead of adding one; only then is the row locked and marked
    ready with the bytes' SHA-256 and page count, and one ``document.render`` step
    written. A worker killed midway leaves the document pending and pointing at no file;
    the redelivered task finishes the job. The number is never touched here. Errors of
    the renderer propagate: the task decides whether to try again.
    """
    from ..layout import document_pdf

    document = Document.objects.select_related("issuer").get(pk=document_id)
    if document.render_state != RenderState.PENDING:
        return document
    rendered = document_pdf(document_source(document))
    sha256 = hashlib.sha256(rendered.pdf).hexdigest()
    name = _store(document.stored_name, rendered.pdf, sha256)
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.render_state != RenderState.PENDING:
            return document
        document.render_succeed(pdf_name=name, sha256=sha256, page_count=rendered.page_count, at=timezone.now())
        document.render_attempts += 1
        document.save()
        step_record(
            action="document.render",
            obj=document,
            state_before=RenderState.PENDING,
            state_after=document.render_state,
            data={"number": document.number, "sha256": sha256, "pages": rendered.page_count},
        )
    return document


@transaction.atomic
def documents_render_stalled() -> dict[str, int]:
    """The sweep: queue again the renders of documents pending for long (the broker was down
    when they were issued, a worker died); renders are idempotent, so a duplicate costs only
    time. Beat runs it (``documents.requeue_stalled``), and ``manage.py run_due_timers``."""
    from ..tasks import document_render_task  # the task module imports these services

    stalled = ((document_id,) for document_id in document_ids_stalled())
    return {"documents_requeued": tasks_queue(document_render_task, stalled)}


def document_render_failed(*, document_id: int, error: str, final: bool) -> Document:
    """Record a failed render attempt; after the ``final`` one the document shows "rendering
    failed" (one ``document.render_fail`` step) and waits for a user to retry."""
    document = Document.objects.select_for_update().get(pk=document_id)
    if document.render_state != RenderState.PENDING:
        return document
    document.render_attempts += 1
    document.render_error = error[:2000]
    if not final:
        document.save(update_fields=["render_attempts", "render_error"])
        return document
    document.render_fail(error=document.render_error)
    document.save()
    step_record(
        action="document.render_fail",
        obj=document,
        state_before=RenderState.PENDING,
        state_after=document.render_state,
        comment=document.render_error,
        data={"number": document.number, "attempts": document.render_attempts},
    )
    return document


@transaction.atomic
def document_render_retry(*, document: Document, by: User) -> Document:
    """Queue a new render of a document whose rendering failed (on commit).

    Anyone who may read the document may retry, except auditors (read-only). Writes one
    ``document.render_retry`` step.
    """
    if not user_can_retry_render(by, document):
        raise DocumentError(_("You may not retry the rendering of this document."), code="forbidden", http_status=403)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.render_state != RenderState.FAILED:
        raise DocumentError(
            _("Only a document whose rendering failed can be rendered again."), code="not_failed", http_status=409
        )
    document.render_retry(at=timezone.now())
    document.save()
    step_record(
        action="document.render_retry",
        actor=by,
        obj=document,
        state_before=RenderState.FAILED,
        state_after=document.render_state,
        data={"number": document.number},
    )
    _queue_render(document)
    return document


def document_source(document: Document):
    """What the layout needs, read from the document row; no database access after this."""
    from ..layout import DocumentSource

    with translation.override("zh-hans"):
        kind_label = str(document.get_kind_display())
    return DocumentSource(
        kind=document.kind,
        kind_label=kind_label,
        number=document.number,
        token=document.token,
        issued_on=document.issued_on,
        verify_url=verify_url(document.token),
        issuer=issuer_face(document.issuer),
        content=document.context,
    )


def verify_url(token: str) -> str:
    """The absolute link the QR code carries; TIDU_PUBLIC_URL is the site's public address."""
    base = (getattr(settings, "TIDU_PUBLIC_URL", "") or DEFAULT_PUBLIC_URL).rstrip("/")
    return base + reverse("document-verify", args=[token])


def issuer_face(issuer: Issuer):
    from ..layout import IssuerFace

    face = {"name": issuer.name, "mark_text": issuer.mark_text, "printing_office": issuer.printing_office}
    if issuer.seal:
        face["seal_url"] = _seal_url(issuer)
    return IssuerFace(**face)


def _seal_url(issuer: Issuer) -> str:
    try:
        return Path(issuer.seal.path).as_uri()
    except NotImplementedError:  # remote storage: embed the bytes
        with issuer.seal.open("rb") as seal:
            data = base64.b64encode(seal.read()).decode()
        mime = mimetypes.guess_type(issuer.seal.name)[0] or "image/png"
        return f"data:{mime};base64,{data}"


def _store(name: str, pdf: bytes, sha256: str) -> str:
    """Writes ``pdf`` under ``name``, replacing what an interrupted attempt may have left."""
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as existing:
            if hashlib.sha256(existing.read()).hexdigest() == sha256:
                return name
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(pdf))
