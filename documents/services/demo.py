"""The demo's documents: every document the demo cases issued gets its PDF now.

With eager Celery (no broker, the default) the cases' documents are rendered as they
are issued; with a broker but no worker running they would wait, so this step renders
whatever is still pending in this process, so a new user sees real PDFs at once.
Idempotent: rendered documents are left alone.
"""

from ..models import Document, RenderState
from .render import document_render


def render_documents(*, stdout) -> None:
    pending = list(Document.objects.filter(render_state=RenderState.PENDING).values_list("pk", flat=True))
    for document_id in pending:
        document_render(document_id=document_id)
    ready = Document.objects.filter(render_state=RenderState.READY).count()
    stdout.write(f"   {len(pending)} document(s) rendered now; {ready} PDF(s) in the archive")
