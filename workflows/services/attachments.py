"""Files an enterprise adds to a case: judged by their content, hashed, stored.

One check for every case that takes files (an application's attachments, the evidence
answering a pool entry's return): the size limit (``TIDU_MAX_ATTACHMENT_BYTES``), no empty
file, and a type read from the bytes, never from the name.
"""

import hashlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from ..exceptions import CaseError
from ..models.attachment import CaseAttachment

# What an attachment may be, judged by its content: PDF, JPG, PNG, XLSX.
ATTACHMENT_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
}
DEFAULT_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """A file that passed ``attachment_check``: its name, bytes, type by content and SHA-256."""

    name: str
    content: bytes
    content_type: str
    sha256: str


def _refuse(message: str, code: str):
    raise CaseError(message, code=code, http_status=400)


def attachment_check(*, name: str, content: bytes) -> Upload:
    """The upload, typed by its bytes and hashed, or a CaseError (400) saying why it is refused."""
    limit = getattr(settings, "TIDU_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_ATTACHMENT_BYTES)
    if len(content) > limit:
        _refuse(
            _("“%(name)s” is %(size)s MB; attachments may be at most %(limit)s MB.")
            % {"name": name, "size": f"{len(content) / 2**20:.1f}", "limit": f"{limit / 2**20:.0f}"},
            "too_large",
        )
    if not content:
        _refuse(_("“%(name)s” is empty.") % {"name": name}, "empty_file")
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ATTACHMENT_TYPES:
        _refuse(
            _("“%(name)s” is not a PDF, JPG, PNG or XLSX file (its content was checked, not its name).") % {"name": name},
            "wrong_type",
        )
    return Upload(name=name, content=content, content_type=kind.mime, sha256=hashlib.sha256(content).hexdigest())


def attachment_store(model: type[CaseAttachment], *, upload: Upload, by, **case) -> CaseAttachment:
    """Save a checked ``upload`` as a ``model`` row of the case named in ``case`` (e.g. ``entry=…``).

    Call inside the service's transaction, after its checks: the file is written to storage here.
    """
    attachment = model(
        name=upload.name[:200], content_type=upload.content_type, size=len(upload.content), sha256=upload.sha256,
        uploaded_by=by, **case,
    )
    attachment.file.save(upload.name[-100:], ContentFile(upload.content), save=False)
    attachment.save()
    return attachment
