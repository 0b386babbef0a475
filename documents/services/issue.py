"""Issuing, voiding and downloading documents."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import models, transaction
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, User
from steplog.dispatch import task_queue_on_commit
from steplog.services import step_record, within_transaction

from ..content import content_clean
from ..exceptions import DocumentError
from ..models import Document, DocumentKind, Issuer, NumberSequence
from ..selectors import document_reissued_as


def issuer_default() -> Issuer:
    issuer = Issuer.objects.filter(is_default=True).first()
    if issuer is None:
        raise DocumentError(_("No default issuer is configured; an administrator must mark one issuer as the default."))
    return issuer


def document_issue(
    *,
    kind: DocumentKind,
    by: User | None,
    enterprise: Enterprise | None,
    subject: models.Model | None,
    context: dict,
    issuer: Issuer | None = None,
    reissue_of: Document | None = None,
) -> Document:
    """Issue a document: number it, record it, and render its PDF after commit.

    ``context`` follows the schema in :mod:`documents.content` (title, addressee, body
    blocks, attachments, signature, note, copy_to, printed_by); it is validated first
    and :class:`~documents.exceptions.DocumentContentInvalid` names every problem.
    ``subject`` is the case the document is about (any model; the case page lists its
    documents); ``enterprise`` defaults to ``subject.enterprise`` and decides who may
    read the document. ``issuer`` defaults to the default issuer (the city bureau).

    Runs in the caller's transaction: the number is taken from the issuer's sequence
    for the year under a row lock, so numbers are gapless — a rollback gives the number
    back, a committed document keeps it forever (voiding included). Writes one
    ``document.issue`` step. The caller is responsible for having checked that ``by``
    may take the decision the document records. The render task is queued on commit.
    ``reissue_of`` names the voided document this one replaces (``document_reissue``) in the step.
    """
    kind = _kind(kind)
    content = content_clean(context)
    issuer = issuer or issuer_default()
    if enterprise is None and subject is not None:
        enterprise = getattr(subject, "enterprise", None)
    now = timezone.now()
    today = timezone.localdate(now)
    with within_transaction():  # no savepoint inside the deciding service's transaction
        serial = _serial_take(issuer=issuer, year=today.year)
        document = Document.objects.create(
            issuer=issuer,
            kind=kind,
            year=today.year,
            serial=serial,
            number=f"{issuer.number_prefix}〔{today.year}〕{serial}号",
            title=content["title"].replace("\n", ""),
            issued_on=today,
            issued_at=now,
            render_queued_at=now,
            issued_by=by,
            enterprise=enterprise,
            subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
            subject_id=str(subject.pk) if subject is not None else "",
            context=content,
        )
        step_record(
            action="document.issue",
            actor=by,
            obj=document,
            enterprise=enterprise,
            state_after=document.status,
            data={"number": document.number, "kind": kind, "title": document.title, "token": document.token,
                  **({"reissue_of": reissue_of.number, "reissue_of_id": reissue_of.pk} if reissue_of else {})},
        )
        _queue_render(document)
    return document


def _kind(kind) -> DocumentKind:
    try:
        return DocumentKind(kind)
    except ValueError:
        raise DocumentError(_("Unknown document kind “%(kind)s”.") % {"kind": kind}) from None


def _serial_take(*, issuer: Issuer, year: int) -> int:
    """The next number of ``issuer`` in ``year``; the sequence row stays locked until commit."""
    sequence = NumberSequence.objects.select_for_update().filter(issuer=issuer, year=year).first()
    if sequence is None:
        # Two first documents of a year may race to create the row: one insert wins,
        # the other does nothing and then waits on the winner's lock.
        NumberSequence.objects.bulk_create([NumberSequence(issuer=issuer, year=year)], ignore_conflicts=True)
        sequence = NumberSequence.objects.select_for_update().get(issuer=issuer, year=year)
    sequence.last_serial += 1
    sequence.save(update_fields=["last_serial"])
    return sequence.last_serial


def _queue_render(document: Document) -> None:
    """After commit; a broker outage cannot fail a decision already committed (the
    document stays pending and the stalled-render sweep queues it again)."""
    from ..tasks import document_render_task

    task_queue_on_commit(document_render_task, document.pk)


@transaction.atomic
def document_void(*, document: Document, by: User, reason: str) -> Document:
    """Void an issued document. It keeps its number and its PDF; verification says "voided".

    Needs ``documents.void_document``; writes one ``document.void`` step.
    """
    if not by.has_perm("documents.void_document"):
        raise DocumentError(_("You may not void documents."), code="forbidden", http_status=403)
    reason = (reason or "").strip()
    if not reason:
        raise DocumentError(_("Give the reason for voiding the document."), code="reason_required", http_status=400)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.is_voided:
        raise DocumentError(
            _("Document %(number)s is already voided.") % {"number": document.number}, code="already_voided"
        )
    before = document.status
    document.void(by=by, reason=reason, at=timezone.now())
    document.save()
    step_record(
        action="document.void",
        actor=by,
        obj=document,
        state_before=before,
        state_after=document.status,
        comment=reason,
        data={"number": document.number},
    )
    return document


@transaction.atomic
def document_reissue(*, document: Document, by: User) -> Document:
    """Issue a voided document again, in one step: a new number for the same subject, enterprise, issuer and
    content, whose note says which voided number it replaces.

    Needs ``documents.void_document`` (whoever may void may put a document right); the document must be
    voided and not reissued already. Locks the voided document; writes the new document's one
    ``document.issue`` step, naming the voided one (``reissue_of``); the PDF renders after commit.
    """
    if not by.has_perm("documents.void_document"):
        raise DocumentError(_("You may not reissue documents."), code="forbidden", http_status=403)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not document.is_voided:
        raise DocumentError(_("Only a voided document can be reissued."), code="not_voided", http_status=409)
    if (reissue := document_reissued_as(document)) is not None:
        raise DocumentError(_("Document %(number)s was already reissued as %(new)s.") % {
            "number": document.number, "new": reissue.number}, code="already_reissued", http_status=409)
    with translation.override(settings.LANGUAGE_CODE):  # the document's own language, whoever clicks
        replaces = _("Replaces the voided document %(number)s.") % {"number": document.number}
    note = "；".join(part for part in (document.context.get("note", ""), replaces) if part)
    return document_issue(
        kind=document.kind, by=by, enterprise=document.enterprise, subject=document.subject,
        context={**document.context, "note": note[:200]}, issuer=document.issuer, reissue_of=document,
    )


@transaction.atomic
def document_download(*, document: Document, by: User) -> File:
    """The stored PDF, opened for reading; the download is logged as a ``document.download`` step.

    The caller fetched ``document`` through ``documents.selectors`` (scope). Raises
    :class:`DocumentError` while the PDF is not rendered.
    """
    if not document.is_ready:
        raise DocumentError(
            _("The PDF of %(number)s is not ready yet.") % {"number": document.number},
            code="not_ready",
            http_status=409,
        )
    step_record(
        action="document.download", actor=by, obj=document, data={"number": document.number, "sha256": document.sha256}
    )
    # Opening is not a write: a missing file raises here and rolls the step back.
    return document.pdf.open("rb")
