"""Writes of the documents app, one module per topic; import the actions from here."""

from .issue import document_download, document_issue, document_reissue, document_void, issuer_default
from .render import document_render, document_render_failed, document_render_retry, documents_render_stalled

__all__ = [
    "document_download",
    "document_issue",
    "document_reissue",
    "document_render",
    "document_render_failed",
    "document_render_retry",
    "document_void",
    "documents_render_stalled",
    "issuer_default",
]
