"""The documents app's refusals, each with a message a user can read."""

from django.utils.translation import gettext_lazy as _

from enterprises.exceptions import DomainError


class DocumentError(DomainError):
    code = "document_error"
    default_message = _("The document action was refused.")


class DocumentContentInvalid(DocumentError):
    """The caller's ``context`` does not follow the schema in ``documents.content``."""

    code = "invalid_document_content"
    http_status = 400
