"""The download of a case's file, alike for every case that takes files."""

from django.http import FileResponse

from ..models.attachment import CaseAttachment


def attachment_response(attachment: CaseAttachment) -> FileResponse:
    """The file as a download under the name it was uploaded with (the caller found it through a scoped selector)."""
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
