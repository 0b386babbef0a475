"""Reads of documents: the archive scoped to the user, and public verification."""

import datetime
import hashlib
import io
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, Role, User
from enterprises.selectors import scope_to_user
from steplog.models import Step

from .models import TOKEN_ALPHABET, TOKEN_LENGTH, Document, DocumentKind, DocumentStatus, RenderState

logger = logging.getLogger(__name__)
TOKEN_IN_LINK = re.compile(rf"/verify/([{TOKEN_ALPHABET}]{{{TOKEN_LENGTH}}})\b")
READ_ONLY_ROLES = {Role.AUDITOR}


# Finance works payouts only (DESIGN §1): it reads the documents of the reward path.
FINANCE_KINDS = [DocumentKind.REWARD_DECISION, DocumentKind.PUBLIC_NOTICE, DocumentKind.PAYMENT_NOTICE]


def documents_for(*, user: User, subject: models.Model | None = None, enterprise: Enterprise | None = None) -> QuerySet:
    """Documents ``user`` may read, newest first: an enterprise its own, a district
    reviewer its jurisdiction's, city staff and auditors all of them, finance those of
    the reward path. Narrowed to one case (``subject``) or one enterprise when given."""
    documents = Document.objects.select_related("issuer", "enterprise", "enterprise__jurisdiction")
    documents = scope_to_user(documents, user)
    if user.is_authenticated and user.role == Role.FINANCE:
        documents = documents.filter(kind__in=FINANCE_KINDS)
    if subject is not None:
        documents = documents.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
        )
    if enterprise is not None:
        documents = documents.filter(enterprise=enterprise)
    return documents


def document_get(*, user: User, pk) -> Document:
    """One document in the user's scope; ``Document.DoesNotExist`` otherwise (a 404)."""
    return documents_for(user=user).get(pk=pk)


def user_may_read(user: User, document: Document) -> bool:
    """Whether ``document`` is in ``user``'s archive (so a page may link it)."""
    return user.is_authenticated and documents_for(user=user).filter(pk=document.pk).exists()


def _issue_steps():
    return Step.objects.filter(action="document.issue", object_type=Document._meta.label_lower)


def document_reissued_as(document: Document) -> Document | None:
    """The document issued to replace ``document`` (``document_reissue``), if any."""
    step = _issue_steps().filter(data__reissue_of_id=document.pk).first()
    return Document.objects.filter(pk=step.object_id).first() if step else None


def document_reissue_of(document: Document) -> Document | None:
    """The voided document ``document`` replaces, if it is a reissue."""
    step = _issue_steps().filter(object_id=str(document.pk)).first()
    original = (step.data or {}).get("reissue_of_id") if step else None
    return Document.objects.filter(pk=original).first() if original else None


def render_progress(*, user: User) -> dict:
    """How far the PDFs of the current batch are rendered, in ``user``'s archive: the documents issued from
    the day of the oldest one still waiting (so the total stays put while the batch renders), how many of
    them are done (ready or failed), and whether none waits now. ``{"total": 0, ...}`` when nothing waits.
    Two queries."""
    documents = documents_for(user=user).order_by()
    oldest = documents.filter(render_state=RenderState.PENDING).order_by("issued_on").values_list("issued_on", flat=True).first()
    if oldest is None:
        return {"total": 0, "done": 0, "failed": 0, "finished": True}
    counts = documents.filter(issued_on__gte=oldest).aggregate(
        total=models.Count("pk"),
        pending=models.Count("pk", filter=models.Q(render_state=RenderState.PENDING)),
        failed=models.Count("pk", filter=models.Q(render_state=RenderState.FAILED)),
    )
    done = counts["total"] - counts["pending"]
    return {"total": counts["total"], "done": done, "failed": counts["failed"], "finished": counts["pending"] == 0}


def document_ids_stalled() -> list[int]:
    """Documents still waiting for their PDF ``TIDU_SWEEP_STALLED_SECONDS`` after issue (or a retry)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.TIDU_SWEEP_STALLED_SECONDS)
    pending = Document.objects.filter(render_state=RenderState.PENDING, render_queued_at__lt=cutoff)
    return list(pending.values_list("pk", flat=True)[:500])


def user_can_retry_render(user: User, document: Document) -> bool:
    if not user.is_authenticated or user.role in READ_ONLY_ROLES:
        return False
    return documents_for(user=user).filter(pk=document.pk).exists()


def user_can_void(user: User) -> bool:
    return user.is_authenticated and user.has_perm("documents.void_document")


class Verdict(models.TextChoices):
    GENUINE = "genuine", _("Genuine")
    VOIDED = "voided", _("Voided")
    ALTERED = "altered", _("Altered")
    UNKNOWN = "unknown", _("Unknown")


@dataclass(frozen=True)
class Verification:
    """What the public verification page says. ``document`` is the issued document the
    file or code refers to (None when unknown); an altered file names the document it
    claims to be, whose stored bytes differ."""

    verdict: Verdict
    document: Document | None = None

    @property
    def is_genuine(self) -> bool:
        return self.verdict == Verdict.GENUINE


def verification_by_token(token: str) -> Verification:
    """The document a verification code (from the QR link) belongs to. No login needed."""
    token = (token or "").strip().upper()
    document = Document.objects.select_related("issuer").filter(token=token).first() if token else None
    return _verdict_of(document)


def verification_by_pdf(content: bytes) -> Verification:
    """Whether ``content`` is, byte for byte, a PDF this system issued.

    Genuine or voided when its SHA-256 is that of an issued document; altered when the
    bytes differ but the file carries the verification link of an issued document;
    unknown otherwise (including files that are not PDFs at all).
    """
    sha256 = hashlib.sha256(content).hexdigest()
    document = Document.objects.select_related("issuer").filter(sha256=sha256).first()
    if document is not None:
        return _verdict_of(document)
    token = pdf_claimed_token(content)
    claimed = Document.objects.select_related("issuer").filter(token=token).first() if token else None
    return Verification(Verdict.ALTERED, claimed) if claimed else Verification(Verdict.UNKNOWN)


def _verdict_of(document: Document | None) -> Verification:
    if document is None:
        return Verification(Verdict.UNKNOWN)
    return Verification(Verdict.VOIDED if document.status == DocumentStatus.VOIDED else Verdict.GENUINE, document)


def pdf_claimed_token(content: bytes) -> str | None:
    """The verification code a PDF carries in its QR link, if it can still be read."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        for page in reversed(reader.pages):
            for annotation in page.get("/Annots") or []:
                uri = annotation.get_object().get("/A", {}).get("/URI")
                match = TOKEN_IN_LINK.search(str(uri or ""))
                if match:
                    return match.group(1)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        logger.info("Unreadable PDF offered for verification: %s", exc)
    return None
