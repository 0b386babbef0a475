"""A file an enterprise adds to a case (an application, the answer to a pool entry's return).

Its type was judged by its content and its SHA-256 taken when it arrived
(``workflows.services.attachments``); each case type says where its files live.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def attachment_path(attachment, filename: str) -> str:
    return f"{attachment.folder}/{attachment.sha256[:16]}-{filename}"


class CaseAttachment(models.Model):
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name
