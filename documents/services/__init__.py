"""Writes of the documents app, one module per topic; import the actions from here."""

from .issue import document_download, document_issue, document_reissue, document_void, issuer_default
from .render import document_render, document_render_failed, document_render_retry

__all__ = [
    "document_download",
    "document_issue",
    "document_reissue",
    "document_render",
    "document_render_failed",
    "document_render_retry",
    "document_void",
    "issuer_default",
]
