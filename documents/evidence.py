"""The documents' part of an evidence bundle (``steplog.evidence``): the rendered PDFs of a
case, or of an enterprise's whole path, each with the SHA-256 its ``document.render`` step
recorded. Plugged in through ``settings.TIDU_EVIDENCE_EXHIBIT_HOOKS``: the step log below
never imports documents, and documents only imports the step log's ``Exhibit``."""

from django.contrib.contenttypes.models import ContentType

from steplog.evidence import Exhibit, Subject

from .models import Document, RenderState


def document_exhibits(*, subject: Subject) -> list[Exhibit]:
    """Every rendered document of ``subject`` (voided ones too: they were issued), oldest first."""
    documents = Document.objects.filter(render_state=RenderState.READY).exclude(pdf="").order_by("issued_at", "pk")
    if subject.whole_path:
        documents = documents.filter(enterprise_id=subject.enterprise_id)
    else:
        app_label, model = subject.object_type.split(".")
        subject_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        documents = documents.filter(subject_type=subject_type, subject_id=subject.object_id)
    return [_exhibit(document) for document in documents]


def _exhibit(document: Document) -> Exhibit:
    return Exhibit(
        name=f"documents/{document.pk:06d}-{document.kind}.pdf",
        sha256=document.sha256,
        object_type=document._meta.label_lower,
        object_id=str(document.pk),
        open=lambda: document.pdf.open("rb"),
        description={
            "number": document.number,
            "title": document.title,
            "kind": document.kind,
            "issued_on": document.issued_on.isoformat(),
            "status": document.status,
        },
    )
